import type { User } from '../../shared/db.js';
import type { ProfileResponse } from './schemas.js';

/** The caller's profile (GET and PATCH answer the same body). */
export function profileView(user: User): ProfileResponse {
  return {
    ok: true,
    profile: {
      userId: user.id,
      email: user.email,
      name: user.name,
      gender: user.gender,
      attractedTo: user.attractedTo,
      preferencePath: user.preferencePath,
      timezone: user.timezone,
      tier: user.tier,
      createdAt: user.createdAt.toISOString(),
    },
  };
}
