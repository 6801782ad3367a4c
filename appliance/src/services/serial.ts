/**
 * Runs async tasks one at a time, in arrival order. Every mutation runs inside it, from
 * reading the facts its gates judge to committing its effect, so no other change can slip
 * between a decision and the effect it allowed.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    // The queue continues whatever this task's outcome; the caller still sees it.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
