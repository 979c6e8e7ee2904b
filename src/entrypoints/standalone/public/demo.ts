import {
  CLIENT_ERROR_CODES,
  type ConnectionState,
  formatBytes,
  HermesClient,
  type HermesErrorReply,
  type HermesGap,
  type HermesNotification,
  type HermesPresence,
  type HermesResumed,
  type MessageLimits,
  maxSendableBytes,
  type StateDetail,
} from '../../client/HermesClient.js';
import { readTokenIdentity, type TokenIdentity } from '../../client/tokenIdentity.js';
import { DemoTokenUnavailable, requestDemoToken } from './demoTokenEndpoint.js';

/** The demo page: token → connection → notifications dispatched to subscribers by type. */

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found as T;
}

function byteCount(name: string): number | undefined {
  const value = Number(document.body.dataset[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

const stage = document.body.dataset['stage'] ?? 'local';
const demoTokens = document.body.dataset['demoTokens'] === 'true';
const websocketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/${encodeURIComponent(stage)}`;
// The gateway's own limits, written into the page by the server.
const maxFrameBytes = byteCount('maxFrameBytes');
const maxMessageBytes = byteCount('maxMessageBytes');
const limits: MessageLimits = {
  ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
  ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
};

const ui = {
  names: element<HTMLElement>('names'),
  user: element<HTMLInputElement>('user'),
  room: element<HTMLInputElement>('room'),
  ownToken: element<HTMLDetailsElement>('own-token'),
  token: element<HTMLInputElement>('token'),
  identity: element<HTMLElement>('identity'),
  connect: element<HTMLButtonElement>('connect'),
  disconnect: element<HTMLButtonElement>('disconnect'),
  state: element<HTMLElement>('state'),
  alert: element<HTMLElement>('alert'),
  type: element<HTMLSelectElement>('type'),
  text: element<HTMLInputElement>('text'),
  send: element<HTMLButtonElement>('send'),
  limit: element<HTMLElement>('limit'),
  log: element<HTMLUListElement>('log'),
  presence: element<HTMLUListElement>('presence'),
};

let client: HermesClient | undefined;

/** A name per tab, so two tabs opened side by side are two people. */
function randomGuestName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return `guest-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function sentence(text: string): string {
  const capitalized = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}

function showAlert(text: string, kind: 'error' | 'warning' = 'error'): void {
  ui.alert.textContent = text;
  ui.alert.dataset['kind'] = kind;
  ui.alert.hidden = false;
}

function clearAlert(): void {
  ui.alert.hidden = true;
  ui.alert.textContent = '';
}

const ownToken = (): string => ui.token.value.trim();
const tokenMode = (): boolean => !demoTokens || ownToken() !== '';

function describeIdentity(identity: TokenIdentity): string {
  const who = identity.userId ?? 'an unnamed user';
  const where = identity.roomId === undefined ? 'no room' : `room ${identity.roomId}`;
  const until = identity.expiresAt ? `, valid until ${identity.expiresAt.toLocaleString()}` : '';
  return `This token is for ${who} in ${where}${until}.`;
}

/** In token mode the token, not the name fields, decides who the page is: show what it carries. */
function showIdentity(): void {
  const token = ownToken();
  ui.names.hidden = !demoTokens || token !== '';
  if (!tokenMode()) {
    ui.identity.hidden = true;
    return;
  }
  ui.identity.hidden = false;
  if (token === '') {
    ui.identity.dataset['kind'] = 'unreadable';
    ui.identity.textContent = 'Paste a connection token (ask your backend, or `hermes token`).';
    return;
  }
  const identity = readTokenIdentity(token);
  ui.identity.dataset['kind'] = identity ? 'token' : 'unreadable';
  ui.identity.textContent = identity ? describeIdentity(identity) : 'This does not look like a hermes token: it carries no user or room.';
}

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
  const field = (key: string): string | undefined => (typeof run[key] === 'string' && run[key] !== '' ? run[key] : undefined);
  const headline = [field('action') ?? 'run', field('status')].filter(Boolean).join(' — ');
  const summary = field('summary');
  show(
    'run',
    summary ? `${headline}: ${summary}` : headline,
    `Port run ${field('runId') ?? ''} · ${new Date(notification.sent_at).toLocaleTimeString()}`,
  );
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

/** After a reconnection: how many notifications the room's history gave back. */
function showResumed(resumed: HermesResumed): void {
  if (!resumed.reconnected || resumed.recovered === 0) return;
  const what = resumed.recovered === 1 ? '1 missed notification recovered' : `${resumed.recovered} missed notifications recovered`;
  show('recovery', what, `after reconnecting · up to #${resumed.seq}`);
}

/** Notifications the room's history no longer held: they are lost, and the page says so. */
function showGap(gap: HermesGap): void {
  const range =
    gap.to < gap.from
      ? 'earlier notifications'
      : gap.from === gap.to
        ? `notification #${gap.from}`
        : `notifications #${gap.from}–#${gap.to}`;
  show('gap', `Gap: ${range} could not be recovered`, 'missed while disconnected and no longer kept by the room');
}

/** Who is in the room: one chip per user (with their number of connections when more than one). */
function showPresence(presence: HermesPresence): void {
  ui.presence.replaceChildren(
    ...presence.users.map((user) => {
      const item = document.createElement('li');
      item.dataset['user'] = user.user_id;
      item.textContent = user.connections > 1 ? `${user.user_id} (${user.connections})` : user.user_id;
      item.title = `here since ${new Date(user.connected_at).toLocaleTimeString()}`;
      return item;
    }),
  );
}

/** Why the gateway refused, in the words the page can honestly offer: a browser is never told the status. */
function refusalText(error: HermesErrorReply): string {
  const times = error.attempts === undefined ? 'repeatedly' : error.attempts === 1 ? 'once' : `${error.attempts} times in a row`;
  if (!tokenMode()) return `The gateway refused the demo token ${times}, so the page stopped trying. Press Connect to try again.`;
  const expiresAt = readTokenIdentity(ownToken())?.expiresAt;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    return `The gateway refused the token: it expired at ${expiresAt.toLocaleString()}. Ask for a new one.`;
  }
  return `The gateway refused the token ${times}, so the page stopped trying: it was not issued by this gateway, its grant was revoked, or it expired. Check it or ask for a new one.`;
}

function showError(error: HermesErrorReply): void {
  switch (error.code) {
    case CLIENT_ERROR_CODES.CONNECTION_REFUSED:
      return showAlert(refusalText(error));
    case CLIENT_ERROR_CODES.TOKEN_REFUSED:
    case CLIENT_ERROR_CODES.MESSAGE_TOO_LARGE:
      return showAlert(sentence(error.message));
    default:
      return showAlert(`${sentence(error.message)} (${error.code})`);
  }
}

function showState(state: ConnectionState, detail?: StateDetail): void {
  ui.state.dataset['state'] = state;
  ui.state.textContent =
    state === 'reconnecting' && detail?.delayMs !== undefined ? `reconnecting in ${(detail.delayMs / 1000).toFixed(1)} s` : state;
  if (state === 'open') {
    clearAlert();
    client?.requestPresence();
  }
  if (state === 'closed' || state === 'idle') ui.presence.replaceChildren();
  const active = state !== 'idle' && state !== 'closed';
  ui.connect.disabled = active;
  ui.disconnect.disabled = !active;
  ui.send.disabled = state !== 'open';
  ui.user.disabled = active;
  ui.room.disabled = active;
  ui.token.disabled = active;
}

async function nextToken(): Promise<string> {
  if (tokenMode()) return ownToken();
  try {
    return await requestDemoToken(stage, ui.user.value.trim(), ui.room.value.trim());
  } catch (error) {
    // Retried by the client: say so once, in place (a refusal is shown by the client's error instead).
    if (error instanceof DemoTokenUnavailable) showAlert(error.message, 'warning');
    throw error;
  }
}

/** Tells a refused token from a gateway that is down: only the former counts towards giving up. */
async function gatewayReachable(): Promise<boolean> {
  try {
    return (await fetch('/health', { cache: 'no-store' })).ok;
  } catch {
    return false;
  }
}

ui.connect.addEventListener('click', () => {
  client?.close();
  clearAlert();
  const next = new HermesClient({
    url: websocketUrl,
    token: nextToken,
    reconnect: { initialDelayMs: 500, maxDelayMs: 10_000 },
    isReachable: gatewayReachable,
    limits,
  });
  for (const type of ['info', 'warning', 'danger', 'message']) next.subscribe(type, showNotification);
  next.subscribe('run', showRun);
  next.subscribe('*', (data, notification) => {
    if (['info', 'warning', 'danger', 'message', 'run'].includes(notification.type)) return;
    // Someone came or went: ask again, so the list carries their connection counts too.
    if (notification.type.startsWith('presence.')) next.requestPresence();
    else showNotification(data, notification);
  });
  next.onResumed(showResumed);
  next.onGap(showGap);
  next.onPresence(showPresence);
  next.onError(showError);
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
  // Refused (too large) or not connected: the text stays in the box.
  if (!client.send(text, { type: ui.type.value })) return;
  ui.text.value = '';
  clearAlert();
}

ui.send.addEventListener('click', sendCurrent);
ui.text.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') sendCurrent();
});
ui.token.addEventListener('input', showIdentity);

if (!ui.user.value) ui.user.value = randomGuestName();
if (!demoTokens) {
  ui.ownToken.open = true;
  ui.ownToken.querySelector('summary')?.setAttribute('hidden', '');
}
const sendLimit = maxSendableBytes(limits);
if (Number.isFinite(sendLimit)) {
  ui.limit.textContent = `The gateway takes messages of up to ${formatBytes(sendLimit)}.`;
  ui.limit.hidden = false;
}
showIdentity();
