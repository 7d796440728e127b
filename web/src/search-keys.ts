/**
 * Keyboard for the search results (combobox pattern): focus stays in the search box, ↓/↑ move the
 * active result (aria-activedescendant), Enter opens the active one (or the first), Esc closes the list.
 */
export function bindResultKeys(
  input: HTMLInputElement,
  results: HTMLElement,
  onPick: (deviceId: string) => void,
): void {
  const options = () => [...results.querySelectorAll<HTMLElement>('[role=option]')];
  const activeIndex = () => options().findIndex((o) => o.getAttribute('aria-selected') === 'true');
  const setActive = (i: number) => {
    const all = options();
    all.forEach((o, j) => {
      o.setAttribute('aria-selected', String(j === i));
      o.classList.toggle('active', j === i);
    });
    const el = all[i];
    if (el) {
      input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  new MutationObserver(() => input.removeAttribute('aria-activedescendant')).observe(results, { childList: true });
  input.addEventListener('keydown', (e) => {
    const all = options();
    const open = !results.classList.contains('hidden') && all.length > 0;
    if (!open) return;
    const i = activeIndex();
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i + 1) % all.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(i <= 0 ? all.length - 1 : i - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const id = all[Math.max(i, 0)]?.dataset['deviceId'];
      if (id) onPick(id);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      results.classList.add('hidden');
      input.setAttribute('aria-expanded', 'false');
    }
  });
}
