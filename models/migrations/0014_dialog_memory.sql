-- What the chat remembers between one follower message and the next, so "the second one", "这个"
-- and "buy it" mean the course the follower just saw: the list last shown (course ids in order),
-- the course in focus and a question waiting for an answer (a purchase to confirm). One row per
-- follower, shared by every process; the dialog ignores a row older than its expiry, so a stale
-- row needs no cleanup job. Deleted with the follower.
CREATE TABLE dialog_memory (
  follower_id uuid PRIMARY KEY REFERENCES followers (id) ON DELETE CASCADE,
  last_list jsonb NOT NULL DEFAULT '[]'::jsonb,
  focus_course_id uuid REFERENCES courses (id) ON DELETE SET NULL,
  pending jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
