-- A user's sessions by status: the submit statement counts the ones still QUEUED or PROCESSING
-- (SUBMIT_MAX_IN_FLIGHT_PER_USER) without reading the user's whole history.
CREATE INDEX "PracticeSession_userId_status_idx" ON "PracticeSession"("userId", "status");
