// Server-Sent Events over fetch(): EventSource cannot send an Authorization header.
import { ApiError, headers, problemOf } from './api.js';
import { liveText } from './dom.js';

/**
 * How long a stream may stay silent before it is taken for dead: members send a keep-alive comment every
 * 15 s (roster.watch.keep-alive-interval), so three missed ones mean a connection that will never speak
 * again (a member gone without closing it, a proxy that dropped it). It is then resumed like any break.
 */
const SILENCE_MILLIS = 45000;

/**
 * Reads one event stream until it ends. Calls onEvent({id, event, data}) for every event; answers
 * nothing, throws ApiError for a refused stream (410 when the history is gone), or the fetch error.
 */
export async function readStream(url, { signal, onEvent, onOpen }) {
  const stream = new AbortController();
  const stop = () => stream.abort();
  const silent = () => stream.abort(new Error(`nothing arrived for ${SILENCE_MILLIS / 1000} s, not even a keep-alive`));
  signal.addEventListener('abort', stop, { once: true });
  let silence = setTimeout(silent, SILENCE_MILLIS);
  try {
    const response = await fetch(url, { headers: headers({ Accept: 'text/event-stream' }), signal: stream.signal, cache: 'no-store' });
    if (!response.ok) {
      throw new ApiError(response.status, await problemOf(response));
    }
    onOpen?.();
    await parse(response.body.pipeThrough(new TextDecoderStream()).getReader(), onEvent, () => {
      clearTimeout(silence);
      silence = setTimeout(silent, SILENCE_MILLIS);
    });
  } finally {
    clearTimeout(silence);
    signal.removeEventListener('abort', stop);
  }
}

/** The event-stream format (WHATWG HTML, "server-sent events"), fed chunk by chunk. */
async function parse(reader, onEvent, onBytes) {
  let buffer = '';
  let event = { id: null, event: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    onBytes();
    buffer += value;
    // Split on any of the three line ends the SSE format allows; keep a partial last line for later.
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0 || event.event !== 'message') {
          onEvent({ id: event.id, event: event.event, data: event.data.join('\n') });
        }
        event = { id: null, event: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) {
        continue; // a comment: the opening line and keep-alives
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let text = colon < 0 ? '' : line.slice(colon + 1);
      if (text.startsWith(' ')) {
        text = text.slice(1);
      }
      if (field === 'data') {
        event.data.push(text);
      } else if (field === 'id') {
        event.id = text;
      } else if (field === 'event') {
        event.event = text;
      }
    }
  }
}

/**
 * Follows a watch from `revision` for as long as `signal` lets it: resumes after the last event seen
 * when the stream breaks or says `resume`, and calls relist() when the history is gone (410, or an
 * `end` event), which answers the revision to watch from next. onChange gets each parsed event's data;
 * onState('live' | 'reconnecting' | 'relisting', detail) tells the page what is going on; a refusal
 * other than 410 (401, 403, ...) is handed to onError and ends the watch.
 */
export async function follow(path, revision, { signal, onChange, relist, onState, onError }) {
  let after = revision;
  let delay = 250;
  while (!signal.aborted) {
    let ended = null;
    try {
      const separator = path.includes('?') ? '&' : '?';
      await readStream(`${path}${separator}revision=${after}`, {
        signal,
        onOpen: () => { delay = 250; onState?.('live'); },
        onEvent: ({ id, event, data }) => {
          if (event === 'end' || event === 'resume') {
            ended = { event, data };
            return;
          }
          if (id !== null) {
            after = Number(id);
          }
          onChange(JSON.parse(data));
        },
      });
      if (ended?.event === 'end') {
        onState?.('relisting', ended.data);
        after = await relist();
        continue;
      }
      onState?.('reconnecting', ended ? ended.data : 'the stream ended');
    } catch (failure) {
      if (signal.aborted) {
        return;
      }
      if (failure instanceof ApiError && failure.status === 410) {
        onState?.('relisting', failure.message);
        try {
          after = await relist();
        } catch (relistFailure) {
          onError(relistFailure);
          return;
        }
        continue;
      }
      if (failure instanceof ApiError && failure.status !== 503) {
        onError(failure);
        return;
      }
      onState?.('reconnecting', failure.message);
    }
    await pause(delay, signal);
    delay = Math.min(delay * 2, 5000);
  }
}

function pause(millis, signal) {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * A view's live list: `list()` once (it answers the revision it reflects), then `follow` the watch at
 * `path` from there, with `live` (an aria-live line) saying how the stream is. A refusal shows the
 * server's problem and says the view is no longer live.
 */
export function listThenFollow(path, { list, apply, live, signal, showProblem, afterList = () => {} }) {
  const stopped = failure => {
    if (!signal.aborted) {
      live.textContent = 'Not live: the reason is shown above.';
    }
    showProblem(failure);
  };
  return list().then(revision => {
    afterList();
    return follow(path, revision, {
      signal,
      onChange: apply,
      relist: list,
      onState: (state, detail) => { live.textContent = liveText(state, detail); },
      onError: stopped,
    });
  }).catch(stopped);
}
