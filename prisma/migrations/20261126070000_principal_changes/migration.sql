-- Issue 8: API processes cache each user's sessionVersion and role and drop a user when one of
-- them changes. Every such change — and every deleted user — is recorded here by triggers on
-- "User", in the changing transaction, whoever made it (the API, or SQL by hand). Each API process
-- polls the rows of transactions its last poll's snapshot could not see (by transaction id, so a
-- late commit is never skipped). The row holds a SHA-256 of the user id, not the id; TRUNCATE
-- writes '*' (every user). Maintenance purges rows of transactions that had ended 2+ minutes
-- before an earlier purge.
CREATE TABLE "PrincipalChange" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "xid" BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    "at" TIMESTAMP(3) NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'),

    CONSTRAINT "PrincipalChange_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "PrincipalChange_xid_idx" ON "PrincipalChange"("xid");

CREATE FUNCTION sg_principal_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "PrincipalChange" ("key") VALUES (encode(sha256(convert_to(OLD."id", 'UTF8')), 'hex'));
  RETURN NULL;
END $$;

CREATE TRIGGER "User_principal_updated"
  AFTER UPDATE OF "sessionVersion", "role" ON "User"
  FOR EACH ROW
  WHEN (OLD."sessionVersion" IS DISTINCT FROM NEW."sessionVersion" OR OLD."role" IS DISTINCT FROM NEW."role")
  EXECUTE FUNCTION sg_principal_changed();

CREATE TRIGGER "User_principal_deleted"
  AFTER DELETE ON "User"
  FOR EACH ROW
  EXECUTE FUNCTION sg_principal_changed();

CREATE FUNCTION sg_principals_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "PrincipalChange" ("key") VALUES ('*');
  RETURN NULL;
END $$;

CREATE TRIGGER "User_principals_truncated"
  AFTER TRUNCATE ON "User"
  FOR EACH STATEMENT
  EXECUTE FUNCTION sg_principals_truncated();
