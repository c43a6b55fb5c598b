import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` — a const enum, which isolated modules cannot import. */
const ARGON2ID = 2;
import type { Config } from '../config.ts';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) unless configured otherwise. */
export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly params: Config['argon2']) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, ...this.params });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same effort as a real check, so an unknown email answers as slowly as a wrong password. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(`no account ${Math.random()}`);
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
