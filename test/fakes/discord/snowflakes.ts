export type FakeUser = { readonly id: string; readonly username: string };

const DISCORD_EPOCH_MS = 1_420_070_400_000;
/** The low 22 bits of a snowflake: worker, process and increment in Discord; a counter here. */
const LOW_BITS = 22n;

/**
 * Ids shaped like Discord's, unique within one fake. The high bits are the time of issue, as in
 * Discord: discord.js reads an interaction's creation time from its id, the adapter's 3-second
 * budget runs from it, and the fake's own 3-second and 15-minute windows do too.
 */
export class Snowflakes {
  #last = 0n;
  #increment = 0n;

  /** A fresh id for now, greater than every id issued before. */
  next(): string {
    const now = BigInt(Date.now() - DISCORD_EPOCH_MS) << LOW_BITS;
    this.#last = now > this.#last ? now : this.#last + 1n;
    return String(this.#last);
  }

  /** A fresh id issued at `ms` (an interaction created a while before it reaches the bot). */
  at(ms: number): string {
    this.#increment = (this.#increment + 1n) % (1n << LOW_BITS);
    return String((BigInt(ms - DISCORD_EPOCH_MS) << LOW_BITS) | this.#increment);
  }
}

/** When the id was issued, in ms since 1970. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> LOW_BITS) + DISCORD_EPOCH_MS;
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{17,20}$/.test(value);
}

/** The bot as Discord shows it as a message author. */
export function authorOf(user: FakeUser): Record<string, unknown> {
  return { id: user.id, username: user.username, discriminator: '0', avatar: null, bot: true, global_name: null, public_flags: 0, flags: 0 };
}
