/** A minimal typed event, VS Code style: subscribing returns a disposable. */
export interface Disposable {
  dispose(): void;
}
export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // One faulty listener must not stop the others or the supervisor.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
