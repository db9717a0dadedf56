/**
 * Wraps a refresh so that a stream of requests costs at most one call in
 * flight and one more after it: requests made while a call runs are folded
 * into a single follow-up call, whose completion the returned promise awaits.
 * A busy group (32 members acknowledging every message) sends many events;
 * the list behind them is fetched a bounded number of times.
 */
export function coalesce (run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  let again = false
  return async () => {
    if (running != null) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await run()
        } while (again)
      } finally {
        running = undefined
      }
    })()
    return running
  }
}
