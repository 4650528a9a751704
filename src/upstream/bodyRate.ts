/**
 * The slowest a vendor body may arrive. Past `graceMs` after the response headers, the bytes received must average
 * at least `bytesPerSecond` since the headers, or the body is cut off: a body that trickles in would otherwise hold
 * a pooled connection for the whole deadline, and a few dozen of them starve every other call to that vendor.
 */
export interface BodyRateFloor {
  /** Time after the response headers before the rate is enforced, ms: small bodies simply have to be done by then. */
  graceMs: number;
  /** Average bytes per second since the headers that a body still streaming must keep up. */
  bytesPerSecond: number;
}

/** The error a body is destroyed with when it falls below its rate floor. */
export class SlowBodyError extends Error {
  override readonly name = 'SlowBodyError';

  constructor() {
    super('the response body arrived below the minimum rate');
  }
}

/** Shortest wait between two checks, ms, so a body right at the floor is not re-checked in a tight loop. */
const MIN_CHECK_MS = 50;

/**
 * Watches one body against its rate floor; call `received` for each chunk (or give `bytesSoFar`, read at each check)
 * and `stop` when the body is done. One timer at a time: it fires when the bytes so far stop being enough, and
 * re-arms if more have come.
 */
export class BodyRateGuard {
  readonly #body: { destroy(error?: Error): void };
  readonly #floor: BodyRateFloor;
  readonly #now: () => number;
  readonly #start: number;
  readonly #bytesSoFar: (() => number) | undefined;
  #bytes = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    body: { destroy(error?: Error): void },
    floor: BodyRateFloor,
    now = () => performance.now(),
    bytesSoFar?: () => number,
  ) {
    this.#body = body;
    this.#floor = floor;
    this.#now = now;
    this.#bytesSoFar = bytesSoFar;
    this.#start = now();
    this.#arm(floor.graceMs);
  }

  received(bytes: number): void {
    this.#bytes += bytes;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
    this.#timer.unref();
  }

  #check(confirming = false): void {
    if (this.#timer === undefined) return; // stopped meanwhile
    const elapsed = this.#now() - this.#start;
    // The moment the bytes received so far no longer meet the floor.
    const bytes = this.#bytesSoFar ? this.#bytesSoFar() : this.#bytes;
    const enoughUntil = (bytes / this.#floor.bytesPerSecond) * 1000;
    if (enoughUntil >= elapsed) {
      this.#arm(Math.max(MIN_CHECK_MS, enoughUntil - elapsed));
    } else if (!confirming) {
      // Timers run before pending I/O: after a stall of this process, read what already arrived before judging.
      setImmediate(() => this.#check(true));
    } else {
      this.#timer = undefined;
      this.#body.destroy(new SlowBodyError());
    }
  }
}
