// SPDX-License-Identifier: MIT
// Reads the extension's sources for the words test (words.test.js): every string literal
// of a JS file with where it stands (which call, which property), without running it.
// A small tokenizer, not a parser: comments, strings, template literals (with nested
// `${…}`), regular expressions and brackets are all it needs to tell apart.

const REGEX_AFTER = /(^|[(,=:[!&|?{};+\-*%<>~^]|\b(return|typeof|case|in|of|delete|void|throw|new|else|do|yield|await))\s*$/;
const NAME_BEFORE = /(?:\.?([A-Za-z_$][\w$]*)|'([^']*)')\s*$/;

/**
 * @param {string} source
 * @returns {Array<{text: string, start: number, compared: boolean, callee: string|null, arg: number, key: string|null, assigned: string|null}>}
 *   `text`: the literal's text (a template literal's fixed parts joined by a space);
 *   `callee`/`arg`: the innermost call it is an argument of and which; `key`: the property
 *   it is the value of in an object literal; `assigned`: the name it is assigned to
 *   (`note.textContent = …` gives textContent; a default parameter `title = …` title).
 */
export function stringLiterals(source) {
  const found = [];
  const root = { open: null, callee: null, arg: 0, key: null, assigned: null, ternary: 0 };
  const stack = [root];
  let i = 0;
  let recent = ''; // The code just read, a literal standing as '<its text>', to read names and tell a regex from a division.

  const frame = () => stack[stack.length - 1];
  const remember = (text) => {
    recent = (recent + text).slice(-80);
  };
  const nameBefore = () => {
    const m = NAME_BEFORE.exec(recent);
    return m ? (m[1] ?? m[2]) : null;
  };

  function record(text, start) {
    const top = frame();
    // A literal compared with something is a value, not words: `kind === 'otp' ? … : …`.
    const compared = /[!=]==?\s*$/.test(recent) || /^\s*[!=]==?/.test(source.slice(i, i + 8));
    found.push({
      compared,
      text,
      start,
      callee: top.open === '(' ? top.callee : null,
      arg: top.open === '(' ? top.arg : -1,
      key: top.open === '{' ? top.key : null,
      assigned: top.assigned,
    });
    remember(`'${text.slice(0, 40).replace(/'/g, '')}'`);
  }

  function readQuoted(quote) {
    const start = i;
    i += 1;
    let text = '';
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        text += source[i + 1];
        i += 2;
      } else {
        text += source[i];
        i += 1;
      }
    }
    i += 1;
    record(text, start);
  }

  // A template literal: its fixed parts are one text; each `${…}` is read as code.
  function readTemplate() {
    const start = i;
    i += 1;
    const parts = [''];
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        parts[parts.length - 1] += source[i + 1];
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        stack.push({ open: '${', callee: null, arg: 0, key: null, assigned: null, ternary: 0 });
        readCode('}');
        stack.pop();
        i += 1;
        parts.push('');
      } else {
        parts[parts.length - 1] += source[i];
        i += 1;
      }
    }
    i += 1;
    record(parts.join(' '), start);
  }

  function readRegex() {
    i += 1;
    let inClass = false;
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') i += 1;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
      i += 1;
    }
    i += 1;
    while (/[a-z]/i.test(source[i] ?? '')) i += 1;
    remember('/re/');
  }

  // Reads code until `close` at this level (or the end).
  function readCode(close) {
    const depth = stack.length;
    while (i < source.length) {
      const c = source[i];
      const next = source[i + 1];
      const top = frame();
      if (c === close && stack.length === depth) return;
      if (c === '/' && next === '/') {
        i = source.indexOf('\n', i);
        if (i < 0) i = source.length;
      } else if (c === '/' && next === '*') {
        i = source.indexOf('*/', i + 2) + 2;
        if (i < 2) i = source.length;
      } else if (c === '\'' || c === '"') {
        readQuoted(c);
      } else if (c === '`') {
        readTemplate();
      } else if (c === '/') {
        if (REGEX_AFTER.test(recent)) readRegex();
        else {
          remember(c);
          i += 1;
        }
      } else if (c === '(' || c === '[' || c === '{') {
        const callee = c === '(' ? (/([A-Za-z_$][\w$]*)\s*$/.exec(recent)?.[1] ?? null) : null;
        // A default parameter list or an arrow's braces keep nothing of the code around them.
        stack.push({ open: c, callee, arg: 0, key: null, assigned: null, ternary: 0 });
        remember(c);
        i += 1;
      } else if (c === ')' || c === ']' || c === '}') {
        if (stack.length > 1) stack.pop();
        remember(c);
        i += 1;
      } else {
        if (c === ',' || c === ';') {
          if (c === ',') top.arg += 1;
          top.key = null;
          top.assigned = null;
          top.ternary = 0;
        } else if (c === '?' && next !== '.' && next !== '?' && source[i - 1] !== '?') {
          top.ternary += 1;
        } else if (c === ':') {
          if (top.ternary > 0) top.ternary -= 1;
          else if (top.open === '{') top.key = nameBefore();
        } else if (c === '=' && !/[=!<>+\-*/%&|^?]/.test(source[i - 1]) && next !== '=' && next !== '>') {
          top.assigned = nameBefore();
        }
        remember(c);
        i += 1;
      }
    }
  }

  readCode(null);
  return found;
}

// Words that are the same in every language: product and program names, and the
// abbreviations people see as such.
export const NOT_WORDS = ['PassAgent', 'Passman', 'Passwork', 'passagent-host', 'Nextcloud', 'PA', 'PM', 'PW'];

/** True when a text has a word for a person in it (beyond names, addresses and symbols). */
export function hasWords(text) {
  let rest = String(text).replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, ' '); // https://…, otpauth://…
  for (const name of NOT_WORDS) rest = rest.split(name).join(' ');
  return /\p{L}{2,}/u.test(rest);
}

// Where a literal is read by a person: the name it is assigned to, the key it is the
// value of, the attribute it sets, the calls whose arguments are shown.
const SHOWN_NAMES = new Set(['textContent', 'innerText', 'title', 'placeholder', 'alt', 'ariaLabel', 'label', 'sublabel',
  'notice', 'message', 'text', 'aria-label', 'description']);
const SHOWN_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt']);
// The first argument of these calls is shown; of h() every child (argument 2 on).
const SHOWN_CALLS = new Set(['alert', 'confirm', 'prompt', 'say', 'status', 'showError']);

/**
 * Why a literal stands where a person reads it, or null.
 * @param {ReturnType<typeof stringLiterals>[number]} literal
 * @param {ReturnType<typeof stringLiterals>[number]} [previous] the literal before it (for setAttribute's name)
 */
export function shownAt(literal, previous) {
  if (literal.compared) return null;
  if (literal.callee === 'h' && literal.arg >= 2) return 'a child of h()';
  if (literal.callee === 'setAttribute' && literal.arg === 1 && SHOWN_ATTRIBUTES.has(previous?.text)) return `the ${previous.text} attribute`;
  if (literal.callee && SHOWN_CALLS.has(literal.callee) && literal.arg === 0) return `the text of ${literal.callee}()`;
  if (literal.key && SHOWN_NAMES.has(literal.key)) return `the value of ${literal.key}`;
  if (literal.assigned && SHOWN_NAMES.has(literal.assigned)) return `assigned to ${literal.assigned}`;
  return null;
}

/** Text a person reads in an HTML file that does not come from messages.json. */
export function htmlWords(html) {
  const problems = [];
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
  for (const [, tag, attrs] of body.matchAll(/<([a-z][\w-]*)\b([^>]*)>/gi)) {
    for (const [, name, value] of attrs.matchAll(/\b(title|placeholder|aria-label|alt)="([^"]*)"/g)) {
      if (hasWords(value) && !new RegExp(`data-i18n-${name}=`).test(attrs)) problems.push(`<${tag} ${name}="${value}">`);
    }
  }
  // Text between tags, unless the element's own data-i18n replaces it.
  for (const [, attrs, text] of body.matchAll(/<[a-z][\w-]*\b([^>]*)>([^<]+)/gi)) {
    if (hasWords(text) && !/\bdata-i18n=/.test(attrs)) problems.push(text.trim());
  }
  return problems;
}
