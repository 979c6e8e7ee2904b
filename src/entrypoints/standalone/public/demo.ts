import { HermesClient, type ConnectionState, type HermesNotification } from '../../client/HermesClient.js';

/** The demo page: token → connection → notifications dispatched to subscribers by type. */

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found as T;
}

const stage = document.body.dataset['stage'] ?? 'local';
const demoTokens = document.body.dataset['demoTokens'] === 'true';
const websocketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/${encodeURIComponent(stage)}`;

const ui = {
  user: element<HTMLInputElement>('user'),
  room: element<HTMLInputElement>('room'),
  token: element<HTMLInputElement>('token'),
  tokenRow: element<HTMLElement>('token-row'),
  connect: element<HTMLButtonElement>('connect'),
  disconnect: element<HTMLButtonElement>('disconnect'),
  state: element<HTMLElement>('state'),
  type: element<HTMLSelectElement>('type'),
  text: element<HTMLInputElement>('text'),
  send: element<HTMLButtonElement>('send'),
  log: element<HTMLUListElement>('log'),
};
ui.tokenRow.hidden = demoTokens;

let client: HermesClient | undefined;

function show(type: string, text: string, meta: string): void {
  const item = document.createElement('li');
  item.dataset['type'] = type;
  const body = document.createElement('div');
  body.className = 'text';
  body.textContent = text;
  const details = document.createElement('div');
  details.className = 'meta';
  details.textContent = meta;
  item.append(body, details);
  ui.log.prepend(item);
}

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  // The seed's clients nest the text: {type, data}.
  if (typeof data === 'object' && data !== null && 'data' in data && typeof data.data === 'string') return data.data;
  return JSON.stringify(data);
}

function showNotification(data: unknown, notification: HermesNotification): void {
  const from = notification.user_id ?? 'backend';
  show(notification.type, textOf(data), `${notification.type} · from ${from} · ${new Date(notification.sent_at).toLocaleTimeString()}`);
}

/** Port run notifications ({runId, action, status, summary, link}): the action, its status, what it did. */
function showRun(data: unknown, notification: HermesNotification): void {
  const run = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const field = (key: string): string | undefined => (typeof run[key] === 'string' && run[key] !== '' ? (run[key] as string) : undefined);
  const headline = [field('action') ?? 'run', field('status')].filter(Boolean).join(' — ');
  const summary = field('summary');
  show('run', summary ? `${headline}: ${summary}` : headline, `Port run ${field('runId') ?? ''} · ${new Date(notification.sent_at).toLocaleTimeString()}`);
  const link = field('link');
  if (link && /^https?:\/\//.test(link)) {
    const anchor = document.createElement('a');
    anchor.href = link;
    anchor.textContent = link;
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
    ui.log.firstElementChild?.querySelector('.meta')?.append(' · ', anchor);
  }
}

function showState(state: ConnectionState, detail?: { delayMs?: number }): void {
  ui.state.dataset['state'] = state;
  ui.state.textContent =
    state === 'reconnecting' && detail?.delayMs !== undefined ? `reconnecting in ${(detail.delayMs / 1000).toFixed(1)} s` : state;
  const active = state !== 'idle' && state !== 'closed';
  ui.connect.disabled = active;
  ui.disconnect.disabled = !active;
  ui.send.disabled = state !== 'open';
  ui.user.disabled = active;
  ui.room.disabled = active;
}

async function fetchToken(): Promise<string> {
  if (!demoTokens) return ui.token.value.trim();
  const response = await fetch(`/${encodeURIComponent(stage)}/demo/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: ui.user.value.trim(), room_id: ui.room.value.trim() }),
  });
  const body = (await response.json()) as { token?: string; error?: { message?: string } };
  if (!response.ok || !body.token) {
    const message = body.error?.message ?? `HTTP ${response.status}`;
    show('error', `could not get a token: ${message}`, 'demo token endpoint');
    throw new Error(message);
  }
  return body.token;
}

ui.connect.addEventListener('click', () => {
  client?.close();
  const next = new HermesClient({ url: websocketUrl, token: fetchToken, reconnect: { initialDelayMs: 500, maxDelayMs: 10_000 } });
  for (const type of ['info', 'warning', 'danger', 'message']) next.subscribe(type, showNotification);
  next.subscribe('run', showRun);
  next.subscribe('*', (data, notification) => {
    if (!['info', 'warning', 'danger', 'message', 'run'].includes(notification.type)) showNotification(data, notification);
  });
  next.onError((error) => show('error', error.message, `error · ${error.code}`));
  next.onStateChange(showState);
  client = next;
  next.connect();
});

ui.disconnect.addEventListener('click', () => {
  client?.close();
  client = undefined;
});

function sendCurrent(): void {
  const text = ui.text.value.trim();
  if (!text || !client) return;
  if (client.send(text, { type: ui.type.value })) ui.text.value = '';
}

ui.send.addEventListener('click', sendCurrent);
ui.text.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') sendCurrent();
});
