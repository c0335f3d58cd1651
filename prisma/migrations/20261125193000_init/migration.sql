-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('MALE', 'FEMALE', 'OTHER', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "AttractedTo" AS ENUM ('WOMEN', 'MEN', 'BOTH', 'OTHER', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "PreferencePath" AS ENUM ('FEMALE_PATH', 'MALE_PATH', 'DUAL_PATH', 'OTHER_PATH', 'UNKNOWN_PATH');

-- CreateEnum
CREATE TYPE "PracticeMode" AS ENUM ('TEXT', 'VOICE', 'AB');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "MessageRole" AS ENUM ('USER', 'AI', 'SYSTEM');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('SESSION_REWARD', 'LEVEL_UP', 'POWERUP_PURCHASE');

-- CreateEnum
CREATE TYPE "MissionCategory" AS ENUM ('OPENERS', 'FLIRTING', 'RECOVERY');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "tier" TEXT NOT NULL DEFAULT 'FREE',
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "gender" "Gender" NOT NULL DEFAULT 'UNKNOWN',
    "attractedTo" "AttractedTo" NOT NULL DEFAULT 'UNKNOWN',
    "preferencePath" "PreferencePath" NOT NULL DEFAULT 'UNKNOWN_PATH',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "streakCurrent" INTEGER NOT NULL DEFAULT 0,
    "streakBest" INTEGER NOT NULL DEFAULT 0,
    "streakLastActiveAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserWallet" (
    "userId" TEXT NOT NULL,
    "xp" INTEGER NOT NULL DEFAULT 0,
    "lifetimeXp" INTEGER NOT NULL DEFAULT 0,
    "level" INTEGER NOT NULL DEFAULT 1,
    "coins" INTEGER NOT NULL DEFAULT 0,
    "gems" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "UserWallet_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "UserStats" (
    "userId" TEXT NOT NULL,
    "sessionsCount" INTEGER NOT NULL DEFAULT 0,
    "successCount" INTEGER NOT NULL DEFAULT 0,
    "failCount" INTEGER NOT NULL DEFAULT 0,
    "averageScore" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "averageMessageScore" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgCharismaIndex" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgConfidence" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgClarity" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgHumor" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgTension" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgWarmth" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgDominance" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgFillerWords" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgTotalWords" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "avgTotalMessages" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "lastSessionAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "UserStats_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "RefreshToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "replacedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RefreshToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PracticeSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "mode" "PracticeMode" NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'QUEUED',
    "input" JSONB NOT NULL,
    "topic" TEXT,
    "personaId" TEXT,
    "templateId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "score" INTEGER,
    "messageScore" DOUBLE PRECISION,
    "isSuccess" BOOLEAN,
    "outcome" TEXT,
    "xpGained" INTEGER NOT NULL DEFAULT 0,
    "coinsGained" INTEGER NOT NULL DEFAULT 0,
    "gemsGained" INTEGER NOT NULL DEFAULT 0,
    "charismaIndex" INTEGER,
    "confidenceScore" INTEGER,
    "clarityScore" INTEGER,
    "humorScore" INTEGER,
    "tensionScore" INTEGER,
    "emotionalWarmth" INTEGER,
    "dominanceScore" INTEGER,
    "fillerWordsCount" INTEGER,
    "totalMessages" INTEGER,
    "totalWords" INTEGER,
    "wordsPerMinute" INTEGER,
    "aiCoreVersion" TEXT,
    "aiProvider" TEXT,
    "aiSummary" JSONB,
    "aiCorePayload" JSONB,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    CONSTRAINT "PracticeSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "role" "MessageRole" NOT NULL,
    "content" TEXT NOT NULL,
    "score" INTEGER,
    "rarity" TEXT,
    "grade" TEXT,
    "xpDelta" INTEGER NOT NULL DEFAULT 0,
    "coinsDelta" INTEGER NOT NULL DEFAULT 0,
    "gemsDelta" INTEGER NOT NULL DEFAULT 0,
    "traits" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyKey" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "IdempotencyKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WalletLedgerEntry" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "kind" "LedgerKind" NOT NULL,
    "xp" INTEGER NOT NULL DEFAULT 0,
    "coins" INTEGER NOT NULL DEFAULT 0,
    "gems" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WalletLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AiPersona" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortLabel" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "style" TEXT NOT NULL,
    "difficulty" INTEGER NOT NULL DEFAULT 1,
    "avatarUrl" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "AiPersona_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PracticeMissionTemplate" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" "MissionCategory" NOT NULL,
    "difficulty" INTEGER NOT NULL DEFAULT 1,
    "personaId" TEXT,
    "timeLimitSec" INTEGER,
    "maxMessages" INTEGER,
    "wordLimit" INTEGER,
    "passScore" INTEGER NOT NULL DEFAULT 60,
    "rewardXp" INTEGER NOT NULL DEFAULT 0,
    "rewardCoins" INTEGER NOT NULL DEFAULT 0,
    "rewardGems" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PracticeMissionTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PowerUpType" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "gemCost" INTEGER NOT NULL,
    "maxUsesPerSession" INTEGER NOT NULL DEFAULT 1,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PowerUpType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PowerUpUsage" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "powerUpTypeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PowerUpUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoiceClip" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "audio" BYTEA,
    "transcribedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VoiceClip_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "RefreshToken_tokenHash_key" ON "RefreshToken"("tokenHash");

-- CreateIndex
CREATE INDEX "RefreshToken_familyId_idx" ON "RefreshToken"("familyId");

-- CreateIndex
CREATE INDEX "RefreshToken_userId_idx" ON "RefreshToken"("userId");

-- CreateIndex
CREATE INDEX "PracticeSession_userId_createdAt_idx" ON "PracticeSession"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "PracticeSession_status_createdAt_idx" ON "PracticeSession"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_sessionId_index_key" ON "ChatMessage"("sessionId", "index");

-- CreateIndex
CREATE INDEX "IdempotencyKey_expiresAt_idx" ON "IdempotencyKey"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyKey_userId_key_key" ON "IdempotencyKey"("userId", "key");

-- CreateIndex
CREATE INDEX "WalletLedgerEntry_userId_createdAt_idx" ON "WalletLedgerEntry"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WalletLedgerEntry_sessionId_kind_key" ON "WalletLedgerEntry"("sessionId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "AiPersona_code_key" ON "AiPersona"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PracticeMissionTemplate_code_key" ON "PracticeMissionTemplate"("code");

-- CreateIndex
CREATE INDEX "PracticeMissionTemplate_category_idx" ON "PracticeMissionTemplate"("category");

-- CreateIndex
CREATE UNIQUE INDEX "PowerUpType_code_key" ON "PowerUpType"("code");

-- CreateIndex
CREATE INDEX "PowerUpUsage_userId_createdAt_idx" ON "PowerUpUsage"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "PowerUpUsage_sessionId_idx" ON "PowerUpUsage"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "VoiceClip_sessionId_key" ON "VoiceClip"("sessionId");

-- AddForeignKey
ALTER TABLE "UserWallet" ADD CONSTRAINT "UserWallet_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserStats" ADD CONSTRAINT "UserStats_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefreshToken" ADD CONSTRAINT "RefreshToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_personaId_fkey" FOREIGN KEY ("personaId") REFERENCES "AiPersona"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeSession" ADD CONSTRAINT "PracticeSession_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "PracticeMissionTemplate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyKey" ADD CONSTRAINT "IdempotencyKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WalletLedgerEntry" ADD CONSTRAINT "WalletLedgerEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WalletLedgerEntry" ADD CONSTRAINT "WalletLedgerEntry_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PracticeMissionTemplate" ADD CONSTRAINT "PracticeMissionTemplate_personaId_fkey" FOREIGN KEY ("personaId") REFERENCES "AiPersona"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerUpUsage" ADD CONSTRAINT "PowerUpUsage_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerUpUsage" ADD CONSTRAINT "PowerUpUsage_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PowerUpUsage" ADD CONSTRAINT "PowerUpUsage_powerUpTypeId_fkey" FOREIGN KEY ("powerUpTypeId") REFERENCES "PowerUpType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoiceClip" ADD CONSTRAINT "VoiceClip_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PracticeSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

