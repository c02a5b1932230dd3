/** Carries "this key changed" from the node that wrote to every node, itself included. */
export interface InvalidationBus {
  publish(keys: string[]): Promise<void>;
  /** handler(null) = messages may have been missed (e.g. after a reconnect): drop everything. */
  start(handler: (keys: string[] | null) => void): Promise<void>;
  close(): Promise<void>;
}
