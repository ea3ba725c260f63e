// A small validator that answers like the Zod-backed routes of seed 001:
// 400 {error:"Validation failed", code:"VALIDATION_ERROR", status:400, details:[{field, message}]}.
import { parseBox } from './wire.mjs';
import { validationError } from './wire.mjs';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * spec: { field: { type: 'string'|'int'|'bool'|'array'|'box'|'email'|'iso'|'enum',
 *   required?, min?, max?, values?, items?, itemMax?, bytes?, maxBytes? } }. Returns the known fields present.
 */
export function validate(body, spec) {
  const details = [];
  const out = {};
  for (const [field, rule] of Object.entries(spec)) {
    const v = body?.[field];
    if (v === undefined || v === null) {
      if (rule.required) details.push({ field, message: 'Required' });
      continue;
    }
    const msg = checkOne(v, rule);
    if (msg) details.push({ field, message: msg });
    else out[field] = v;
  }
  if (details.length) throw validationError(details);
  return out;
}

function checkOne(v, rule) {
  switch (rule.type) {
    case 'string':
    case 'email':
    case 'iso':
    case 'enum':
      if (typeof v !== 'string') return 'Expected string';
      if (rule.type === 'email' && !EMAIL.test(v)) return 'Invalid email';
      if (rule.type === 'iso' && (Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v))) return 'Invalid datetime';
      if (rule.type === 'enum' && !rule.values.includes(v)) return `Invalid enum value. Expected ${rule.values.map((x) => `'${x}'`).join(' | ')}`;
      if (rule.min !== undefined && v.length < rule.min) return `String must contain at least ${rule.min} character(s)`;
      if (rule.max !== undefined && v.length > rule.max) return `String must contain at most ${rule.max} character(s)`;
      return null;
    case 'int':
      if (!Number.isInteger(v)) return 'Expected integer';
      if (rule.min !== undefined && v < rule.min) return `Number must be greater than or equal to ${rule.min}`;
      if (rule.max !== undefined && v > rule.max) return `Number must be less than or equal to ${rule.max}`;
      return null;
    case 'bool':
      return typeof v === 'boolean' ? null : 'Expected boolean';
    case 'array':
      if (!Array.isArray(v)) return 'Expected array';
      if (rule.max !== undefined && v.length > rule.max) return `Array must contain at most ${rule.max} element(s)`;
      if (rule.items === 'string' && v.some((x) => typeof x !== 'string')) return 'Expected array of strings';
      if (rule.itemMax !== undefined && v.some((x) => x.length > rule.itemMax)) return `Each item must contain at most ${rule.itemMax} character(s)`;
      return null;
    case 'box': {
      const box = parseBox(v);
      if (!box) return 'Expected {iv, ciphertext} (object or JSON string; base64 or base64url; 12-byte iv)';
      // Sizes count the ciphertext with its 16-byte GCM tag.
      if (rule.bytes !== undefined && box.ciphertext.length !== rule.bytes) return `Ciphertext must be ${rule.bytes} bytes (with the tag)`;
      if (rule.maxBytes !== undefined && box.ciphertext.length > rule.maxBytes) return `Ciphertext must be at most ${rule.maxBytes} bytes`;
      return null;
    }
    default:
      return null;
  }
}

/** Query integer: undefined when absent, else an int or a validation error. */
export function queryInt(query, name, { min, max, def }) {
  const raw = query.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw)) throw validationError([{ field: name, message: 'Expected integer' }]);
  const n = Number(raw);
  if (min !== undefined && n < min) throw validationError([{ field: name, message: `Number must be greater than or equal to ${min}` }]);
  if (max !== undefined && n > max) throw validationError([{ field: name, message: `Number must be less than or equal to ${max}` }]);
  return n;
}
