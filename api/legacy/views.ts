import type { PowerUpType, PowerUpUsage } from '../../shared/db.js';
import type { ChatMessageResponse, PowerupsResponse } from './schemas.js';

/** A chat message as the append statement returns it. */
export interface AppendedMessage {
  id: string;
  index: number;
  role: 'USER';
  content: string;
  createdAt: Date;
}

export function chatMessageView(sessionId: string, m: AppendedMessage): ChatMessageResponse {
  return {
    ok: true,
    message: {
      id: m.id,
      sessionId,
      index: m.index,
      role: m.role,
      content: m.content,
      createdAt: m.createdAt.toISOString(),
    },
  };
}

export function powerupsView(
  types: PowerUpType[],
  usages: (PowerUpUsage & { powerUpType: { code: string } })[],
): PowerupsResponse {
  return {
    ok: true,
    powerups: types.map((t) => ({
      code: t.code,
      name: t.name,
      description: t.description,
      gemCost: t.gemCost,
      maxUsesPerSession: t.maxUsesPerSession,
    })),
    usages: usages.map((u) => ({
      id: u.id,
      code: u.powerUpType.code,
      sessionId: u.sessionId,
      createdAt: u.createdAt.toISOString(),
    })),
  };
}
