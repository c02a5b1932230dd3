/** When and how a change left the node that wrote it, as the bus that carried it knows it. */
export interface Published {
  via: 'redis' | 'database';
  /** Unix milliseconds on the writer's clock (whole seconds on the database feed). */
  atMs: number;
}

/** Carries "this key changed" from the node that wrote to every node, itself included. */
export interface InvalidationBus {
  publish(keys: string[]): Promise<void>;
  /**
   * handler(null) = messages may have been missed (e.g. after a reconnect): drop everything.
   * `published` comes with the changes whose publish time the bus carries.
   */
  start(handler: (keys: string[] | null, published?: Published) => void): Promise<void>;
  close(): Promise<void>;
}
