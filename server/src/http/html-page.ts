// Small server-rendered pages (install results, a request's full view). Every value that reaches them
// goes through `escapeHtml`.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2933}code,pre{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}pre{padding:.75rem;overflow:auto;white-space:pre-wrap;word-break:break-word}dt{font-weight:600}</style>
</head><body>
${body}
</body></html>`;
}
