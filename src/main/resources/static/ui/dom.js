// Small DOM helpers shared by the views.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for innerHTML: every value from the server goes through here. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ESCAPES[c]);
}

/** "4 s", "3 min 2 s", "2 h 5 min": how long ago, or how long left. */
export function duration(millis) {
  const seconds = Math.max(0, Math.floor(millis / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${seconds % 60} s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ${minutes % 60} min`;
  }
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * Runs `draw` at most once per animation frame however often `schedule` is called: a burst of watch
 * events costs one DOM update.
 */
export function frameBatcher(draw) {
  let pending = false;
  return function schedule() {
    if (pending) {
      return;
    }
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}

/** A short line saying whether a watch is live, for a polite live region. */
export function liveText(state, detail) {
  switch (state) {
    case 'live': return 'Live: changes appear as they happen.';
    case 'reconnecting': return `Reconnecting (${detail}); changes since the last one seen will follow.`;
    case 'relisting': return `Listing again (${detail}).`;
    default: return 'Loading…';
  }
}

/**
 * Makes `rows` the body's children, in order, moving only what is out of place: rows that stay keep
 * their identity, so keyboard focus and selection survive a redraw.
 */
export function placeRows(tbody, rows) {
  let cursor = tbody.firstChild;
  for (const tr of rows) {
    if (tr !== cursor) {
      tbody.insertBefore(tr, cursor);
    } else {
      cursor = cursor.nextSibling;
    }
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
