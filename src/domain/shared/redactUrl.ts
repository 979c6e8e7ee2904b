/**
 * `scheme://` followed by an authority's userinfo (`user:password@`). The authority ends at the
 * first `/`, `?`, `#` or `\`; within it the last `@` ends the userinfo, as URL parsers read it,
 * so the greedy run stops at that one.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#\\]*@/gi;

/**
 * `text` — a URL, or a message or log line with URLs in it — with the userinfo of every URL
 * replaced by `***`: `http://u:secret@host:3001/x` → `http://***@host:3001/x`. Works on URLs that
 * do not parse too. Use it wherever a URL that came from a user or the environment is printed or
 * logged; it lives here so that every layer can.
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** The URL without userinfo, for making requests (fetch refuses a URL that carries credentials). */
export function withoutCredentials(url: URL): URL {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}
