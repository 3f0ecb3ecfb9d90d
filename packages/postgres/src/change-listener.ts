import pg from 'pg';
import { CHANGE_CHANNEL } from './schema.js';

export interface ChangeListenerOptions {
  /** Settings of the dedicated LISTEN connection. */
  clientConfig: pg.ClientConfig;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Reads the change log past what this machine has seen; rejects when the server cannot answer. */
  catchUp: () => Promise<void>;
  onFailure: (operation: string, error: unknown) => void;
  /** Called each time the feed is listening again after a lost connection. */
  onReconnect: () => void;
}

/**
 * The change feed: one connection that LISTENs; each notification (and each reconnection, for
 * what happened while it was away) runs a catch-up read of the change log. Notifications carry
 * nothing: the log, read by revision, is the only source, so a lost or merged notification
 * costs nothing. A lost connection is retried with a doubling delay, forever, until `close`.
 */
export class ChangeListener {
  readonly #options: ChangeListenerOptions;
  #client: pg.Client | undefined;
  #connected = false;
  #closed = false;
  #delay: number;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #catchingUp: Promise<void> | undefined;
  #again = false;
  #catchUpRetry: NodeJS.Timeout | undefined;

  constructor(options: ChangeListenerOptions) {
    this.#options = options;
    this.#delay = options.retryDelayMs;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Connects and listens; rejects when the first connection fails (nothing retried then). */
  async start(): Promise<void> {
    await this.#connect();
  }

  /** Runs a catch-up now (coalesced with one already running); resolves when it is done. */
  catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#again = true;
      return this.#catchingUp;
    }
    this.#catchingUp = (async () => {
      do {
        this.#again = false;
        try {
          await this.#options.catchUp();
        } catch (error) {
          this.#options.onFailure('catchUp', error);
          // The connection may be fine while a query failed (a timeout): try again later.
          clearTimeout(this.#catchUpRetry);
          if (!this.#closed) {
            this.#catchUpRetry = setTimeout(() => void this.catchUp(), this.#options.maxRetryDelayMs);
            this.#catchUpRetry.unref();
          }
          break;
        }
      } while (this.#again && !this.#closed);
    })().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#catchUpRetry);
    const client = this.#client;
    this.#client = undefined;
    this.#connected = false;
    await client?.end().catch(() => undefined);
    await this.#catchingUp?.catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#options.clientConfig);
    // Without a listener, a connection error on an idle client would end the process.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('connection ended')));
    client.on('notification', () => void this.catchUp());
    this.#client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      if (this.#client === client) this.#client = undefined;
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#connected = true;
    this.#delay = this.#options.retryDelayMs;
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    this.#connected = false;
    this.#options.onFailure('listen', error);
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, this.#options.maxRetryDelayMs);
    this.#reconnectTimer = setTimeout(async () => {
      try {
        await this.#connect();
        this.#options.onReconnect();
        await this.catchUp();
      } catch (error) {
        this.#options.onFailure('listen', error);
        this.#scheduleReconnect();
      }
    }, delay);
  }
}
