// SPDX-License-Identifier: MIT
// Keyboard for a list of rows driven from a search box: ArrowUp/ArrowDown move the
// selection (aria-selected), Enter acts on the selected row, Home/End jump (with Ctrl).

/**
 * @param {HTMLElement} input the search box (keys are read there)
 * @param {() => HTMLElement[]} rows the rows, in order
 * @param {(row: HTMLElement, event: KeyboardEvent) => void} onEnter
 */
export function listKeys(input, rows, onEnter) {
  let index = -1;

  function select(next) {
    const all = rows();
    if (!all.length) {
      index = -1;
      return;
    }
    index = Math.max(0, Math.min(all.length - 1, next));
    all.forEach((row, i) => row.setAttribute('aria-selected', String(i === index)));
    all[index].scrollIntoView?.({ block: 'nearest' });
    input.setAttribute('aria-activedescendant', all[index].id || '');
  }

  input.addEventListener('keydown', (event) => {
    const all = rows();
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      select(index + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      select(index - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!all.length) return;
      onEnter(all[index >= 0 && index < all.length ? index : 0], event);
    } else if (event.ctrlKey && (event.key === 'Home' || event.key === 'End')) {
      event.preventDefault();
      select(event.key === 'Home' ? 0 : all.length - 1);
    }
  });

  return {
    /** After the rows changed: select the first one (a search's best hit). */
    reset() {
      index = -1;
      if (rows().length) select(0);
    },
    selected: () => rows()[index] ?? null,
  };
}
