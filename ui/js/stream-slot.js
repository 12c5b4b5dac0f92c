// Which command's channel stream a panel shows, one at a time (the first-reading wait, the
// network scan, the Wi-Fi join). A Tauri command's answer can reach the page before its
// channel's last updates (the answer comes back as the IPC response, updates by script
// evaluation), so a stream ends at its final update, at an error or at a stop, never at the
// answer: ending it at the answer dropped the last updates (a first reading that had arrived, the
// last Zaps a scan found). A stream whose channel has no final update ends at its answer
// (`end`), and what its channel delivers after that is dropped.

/**
 * `isFinal(update)`: whether an update is its stream's last (none is, by default).
 * @param {(update: any) => boolean} [isFinal]
 */
export function streamSlot(isFinal = () => false) {
  let current = null;
  return {
    start: (id) => { current = id; },
    is: (id) => current === id,
    /** The running stream's id (to cancel it), or null; it keeps running. */
    current: () => current,
    /** Whether an update of stream `id` is to be shown; a final one ends the stream. */
    accept: (id, update) => {
      if (current !== id) return false;
      if (isFinal(update)) current = null;
      return true;
    },
    end: (id) => { if (current === id) current = null; },
    /** The running stream's id (to cancel it), ending it here. */
    take: () => {
      const id = current;
      current = null;
      return id;
    },
  };
}
