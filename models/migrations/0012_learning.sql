-- Learning: what a buyer gets. Course presentation and pacing, chapters and lessons, and the
-- learning event kinds (lesson opened, lesson completed, daily check-in 打卡).
ALTER TABLE courses
  ADD COLUMN cover_url text,
  ADD COLUMN teacher_name text NOT NULL DEFAULT '',
  ADD COLUMN pacing text NOT NULL DEFAULT 'self_paced' CHECK (pacing IN ('self_paced', 'drip', 'cohort')),
  ADD COLUMN drip_every_days integer CHECK (drip_every_days BETWEEN 1 AND 365),
  ADD COLUMN cohort_starts_at timestamptz,
  ADD COLUMN enrolment_closes_at timestamptz,
  ADD COLUMN telegram_chat_id text,
  -- Each pacing carries exactly the settings it needs (core/catalog/course.ts CoursePacing).
  ADD CONSTRAINT courses_pacing_settings CHECK (
    CASE pacing
      WHEN 'drip' THEN drip_every_days IS NOT NULL AND cohort_starts_at IS NULL AND enrolment_closes_at IS NULL
      WHEN 'cohort' THEN cohort_starts_at IS NOT NULL AND drip_every_days IS NULL
      ELSE drip_every_days IS NULL AND cohort_starts_at IS NULL AND enrolment_closes_at IS NULL
    END);

CREATE TABLE course_chapters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  title_zh text NOT NULL,
  title_en text NOT NULL,
  position integer NOT NULL CHECK (position >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX course_chapters_course_idx ON course_chapters (course_id, position);

-- course_id repeats the chapter's course so a course's lessons are one indexed scan.
CREATE TABLE course_lessons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chapter_id uuid NOT NULL REFERENCES course_chapters (id) ON DELETE CASCADE,
  course_id uuid NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  title_zh text NOT NULL,
  title_en text NOT NULL,
  body_zh text NOT NULL DEFAULT '',
  body_en text NOT NULL DEFAULT '',
  media_kind text CHECK (media_kind IN ('link', 'video')),
  media_url text,
  attachment_ref text,
  estimated_minutes integer CHECK (estimated_minutes BETWEEN 1 AND 1440),
  is_free_preview boolean NOT NULL DEFAULT false,
  position integer NOT NULL CHECK (position >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT course_lessons_media CHECK ((media_kind IS NULL) = (media_url IS NULL))
);
CREATE INDEX course_lessons_course_idx ON course_lessons (course_id);
CREATE INDEX course_lessons_chapter_idx ON course_lessons (chapter_id, position);

-- Same list as core/events/event-types.ts EVENT_KINDS (a test holds the two together).
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN (
  'follow', 'unfollow', 'message', 'view', 'click', 'like', 'share', 'comment', 'checkout', 'purchase', 'refund',
  'lesson_open', 'lesson_complete', 'check_in'));
-- Progress and streaks read one follower's learning events.
CREATE INDEX events_follower_learning_idx ON events (follower_id, course_id, occurred_at) WHERE kind IN ('lesson_complete', 'check_in');
