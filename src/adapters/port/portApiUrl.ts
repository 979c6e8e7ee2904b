/** Port's REST API in the EU region (US: `https://api.us.getport.io/v1`): the default of `PORT_API_URL`. */
export const DEFAULT_PORT_API_URL = 'https://api.getport.io/v1';

/** `url` without userinfo (`https://user:secret@host` → `https://host`), safe to print; the input unchanged when it is not a URL. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
