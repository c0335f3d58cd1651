import type { PrismaClient, User } from '../db.js';
import { Prisma } from '../db.js';
import { conflict } from '../errors.js';

export interface NewUser {
  email: string;
  passwordHash: string;
  timezone: string;
  /** Display name, already validated (API.md: 1-80 characters); none when absent. */
  name?: string | undefined;
  role?: 'USER' | 'ADMIN';
}

/**
 * UserBootstrapService: the only place that creates a user, and it always creates the user's
 * wallet and stats with it, in one transaction. A taken email answers 409 EMAIL_TAKEN, also when
 * two signups race (the unique index decides).
 */
export async function bootstrapUser(prisma: PrismaClient, input: NewUser): Promise<User> {
  try {
    return await prisma.user.create({
      data: {
        email: input.email,
        passwordHash: input.passwordHash,
        timezone: input.timezone,
        name: input.name ?? null,
        role: input.role ?? 'USER',
        wallet: { create: {} },
        stats: { create: {} },
      },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw conflict('EMAIL_TAKEN', 'An account with this email already exists');
    }
    throw err;
  }
}
