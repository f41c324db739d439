// The count on the top-bar icon. ZAF cannot draw a number on an app's icon, but it can switch the icon
// to another <symbol> of assets/icon_top_bar.svg (client.set('iconSymbol', id)), so the icon file holds
// one symbol per count: "default" (no badge), "count-1" … "count-9" and "count-9plus".
export const MAX_BADGE_COUNT = 9;

export function badgeSymbol(count: number): string {
  if (count <= 0) return 'default';
  return count > MAX_BADGE_COUNT ? `count-${MAX_BADGE_COUNT}plus` : `count-${count}`;
}

/** Every symbol id the icon must define. */
export function badgeSymbols(): string[] {
  return ['default', ...Array.from({ length: MAX_BADGE_COUNT }, (_, i) => `count-${i + 1}`), `count-${MAX_BADGE_COUNT}plus`];
}
