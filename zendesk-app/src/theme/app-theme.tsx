// Garden's theme in the scheme Zendesk asked for, and a page that follows it: Garden components colour
// themselves, but the iframe's own html/body would otherwise stay white in dark mode.
import { useLayoutEffect, useMemo, type ReactNode } from 'react';
import { DEFAULT_THEME, ThemeProvider, getColor, type IGardenTheme } from '@zendeskgarden/react-theming';
import type { ColorScheme } from './color-scheme';

export function gardenTheme(scheme: ColorScheme): IGardenTheme {
  return { ...DEFAULT_THEME, colors: { ...DEFAULT_THEME.colors, base: scheme } };
}

export function pageColors(theme: IGardenTheme): { background: string; text: string } {
  return {
    background: getColor({ theme, variable: 'background.default' }),
    text: getColor({ theme, variable: 'foreground.default' }),
  };
}

export function AppTheme({ scheme, children }: { scheme: ColorScheme; children: ReactNode }) {
  const theme = useMemo(() => gardenTheme(scheme), [scheme]);
  usePageStyle(theme);
  return <ThemeProvider theme={theme}>{children}</ThemeProvider>;
}

/** Inline styles on <html> and <body>: they apply before any stylesheet loads and need no global CSS. */
function usePageStyle(theme: IGardenTheme): void {
  useLayoutEffect(() => {
    const { background, text } = pageColors(theme);
    for (const element of [document.documentElement, document.body]) {
      element.style.backgroundColor = background;
      element.style.color = text;
      element.style.colorScheme = theme.colors.base;
    }
    Object.assign(document.body.style, { margin: '0', fontFamily: theme.fonts.system, fontSize: theme.fontSizes.md });
  }, [theme]);
}
