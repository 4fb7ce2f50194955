"""Schema versions of the SQLite store, applied in order, never edited.

A released migration is frozen: a later release that changes the schema
appends a new ``Migration`` (ALTER TABLE, a new table, a data fix) so an
existing database is upgraded in place without losing data. The store runs
every migration above ``PRAGMA user_version`` inside one transaction and
records the version it reached.

Geometries are stored as WKB in EPSG:28992 with their bounding box beside
them (``minx`` … ``maxy``) for quick window queries; lists and dicts as JSON
text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


_BBOX = "minx REAL, miny REAL, maxx REAL, maxy REAL"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "areas, plans, agenda, places, suggestions, accounts",
        f"""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('data_version', '0');

        CREATE TABLE areas (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('gemeente', 'wijk', 'buurt')),
            parent_code TEXT,
            geometry BLOB, {_BBOX},
            figures TEXT NOT NULL DEFAULT '{{}}',
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX areas_parent ON areas (parent_code);
        CREATE INDEX areas_level ON areas (level);

        CREATE TABLE partners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            contact TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            area_code TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            stage TEXT NOT NULL,
            year INTEGER,
            summary TEXT NOT NULL DEFAULT '',
            intended_effects TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE analysis_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            domain TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            geometry BLOB, {_BBOX}
        );
        CREATE INDEX analysis_items_plan ON analysis_items (plan_id);

        CREATE TABLE activities (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            domain TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            lead_partner TEXT NOT NULL DEFAULT '',
            partners TEXT NOT NULL DEFAULT '[]',
            start TEXT NOT NULL DEFAULT '',
            "end" TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            cost_estimate_eur REAL,
            cost_actual_eur REAL,
            quick_win INTEGER NOT NULL DEFAULT 0,
            buurt_code TEXT,
            plan_id INTEGER REFERENCES plans (id) ON DELETE SET NULL,
            geometry BLOB, {_BBOX},
            meeting_place_id INTEGER,
            real_estate_id INTEGER,
            suggestion_id INTEGER,
            analysis_item_id INTEGER
        );
        CREATE INDEX activities_buurt ON activities (buurt_code);
        CREATE INDEX activities_plan ON activities (plan_id);

        CREATE TABLE real_estate (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            geometry BLOB, {_BBOX},
            address TEXT NOT NULL DEFAULT '',
            bag_id TEXT NOT NULL DEFAULT '',
            function TEXT NOT NULL DEFAULT '',
            floor_area_m2 REAL,
            occupancy_pct REAL,
            condition INTEGER,
            yearly_cost_eur REAL,
            book_value_eur REAL,
            policy TEXT NOT NULL,
            buurt_code TEXT
        );
        CREATE INDEX real_estate_buurt ON real_estate (buurt_code);

        CREATE TABLE meeting_places (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            geometry BLOB, {_BBOX},
            status TEXT NOT NULL,
            capacity INTEGER,
            real_estate_id INTEGER REFERENCES real_estate (id) ON DELETE SET NULL,
            buurt_code TEXT,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX meeting_places_buurt ON meeting_places (buurt_code);

        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            category TEXT NOT NULL,
            text TEXT NOT NULL,
            geometry BLOB, {_BBOX},
            status TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            buurt_code TEXT,
            supporters INTEGER NOT NULL DEFAULT 0,
            answer TEXT NOT NULL DEFAULT '',
            activity_id INTEGER,
            merged_into INTEGER
        );
        CREATE INDEX suggestions_buurt ON suggestions (buurt_code);
        CREATE INDEX suggestions_status ON suggestions (status);

        CREATE TABLE evaluation_factors (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            factor TEXT NOT NULL,
            outcome TEXT NOT NULL,
            domain TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '',
            lesson TEXT NOT NULL DEFAULT '',
            share_lesson INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            suggestion_id INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
            email TEXT NOT NULL
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    Migration(
        4,
        "suggestion reference codes are unique",
        """
        CREATE UNIQUE INDEX suggestions_reference ON suggestions (reference) WHERE reference <> ''
        """,
    ),
    Migration(
        5,
        "address points for coverage",
        f"""
        CREATE TABLE address_points (
            id INTEGER PRIMARY KEY,
            geometry BLOB, {_BBOX},
            inhabitants REAL,
            bag_id TEXT NOT NULL DEFAULT '',
            buurt_code TEXT
        );
        CREATE INDEX address_points_buurt ON address_points (buurt_code);
        """,
    ),
    Migration(
        6,
        "per-client limits and support, follow codes",
        """
        CREATE TABLE client_events (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            client_key TEXT NOT NULL,
            address_key TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX client_events_client ON client_events (action, client_key, at);
        CREATE INDEX client_events_address ON client_events (action, address_key, at);

        CREATE TABLE supports (
            id INTEGER PRIMARY KEY,
            suggestion_id INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
            client_key TEXT NOT NULL,
            address_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX supports_once ON supports (suggestion_id, client_key);
        CREATE INDEX supports_address ON supports (suggestion_id, address_key);

        ALTER TABLE suggestions ADD COLUMN follow_code TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX suggestions_follow_code ON suggestions (follow_code) WHERE follow_code <> ''
        """,
    ),
    Migration(
        7,
        "addresses on address points (placing rows without coordinates); rows kept for later placement",
        """
        ALTER TABLE address_points ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
        ALTER TABLE address_points ADD COLUMN house_number INTEGER;
        ALTER TABLE address_points ADD COLUMN house_letter TEXT NOT NULL DEFAULT '';
        ALTER TABLE address_points ADD COLUMN house_number_addition TEXT NOT NULL DEFAULT '';
        ALTER TABLE address_points ADD COLUMN street TEXT NOT NULL DEFAULT '';
        ALTER TABLE address_points ADD COLUMN place TEXT NOT NULL DEFAULT '';
        ALTER TABLE address_points ADD COLUMN street_key TEXT NOT NULL DEFAULT '';
        CREATE INDEX address_points_postcode ON address_points (postcode, house_number);
        CREATE INDEX address_points_street ON address_points (street_key, house_number);
        CREATE INDEX address_points_bag ON address_points (bag_id);

        CREATE TABLE pending_places (
            id INTEGER PRIMARY KEY,
            layer TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            address TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            candidates TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX pending_places_layer ON pending_places (layer);
        """,
    ),
    Migration(
        9,
        "version columns for optimistic locking of plans, activities and suggestions",
        """
        ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE activities ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE suggestions ADD COLUMN version INTEGER NOT NULL DEFAULT 0
        """,
    ),
    Migration(
        10,
        "partner accounts, progress updates with photos, year teams and their meetings",
        """
        ALTER TABLE users ADD COLUMN partner_id INTEGER REFERENCES partners (id);

        CREATE TABLE update_photos (
            id INTEGER PRIMARY KEY,
            content_type TEXT NOT NULL,
            data BLOB NOT NULL,
            width INTEGER NOT NULL DEFAULT 0,
            height INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE activity_updates (
            id INTEGER PRIMARY KEY,
            activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',
            spent_eur REAL,
            percent_done INTEGER,
            next_step TEXT NOT NULL DEFAULT '',
            photo_id INTEGER REFERENCES update_photos (id) ON DELETE SET NULL
        );
        CREATE INDEX activity_updates_activity ON activity_updates (activity_id);
        CREATE INDEX activity_updates_at ON activity_updates (at);

        CREATE TABLE year_teams (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            year INTEGER NOT NULL,
            members TEXT NOT NULL DEFAULT '[]',
            activity_ids TEXT NOT NULL DEFAULT '[]',
            analysis_item_ids TEXT NOT NULL DEFAULT '[]',
            UNIQUE (plan_id, year)
        );

        CREATE TABLE team_meetings (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES year_teams (id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            decisions TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX team_meetings_team ON team_meetings (team_id);
        """,
    ),
    Migration(
        11,
        "residents in the loop: initiatives, evaluation rounds, e-mail outbox, public costs flag",
        f"""
        ALTER TABLE plans ADD COLUMN costs_public INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE contacts ADD COLUMN token TEXT NOT NULL DEFAULT '';

        CREATE TABLE initiatives (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            participants TEXT NOT NULL DEFAULT '',
            cost_eur REAL,
            geometry BLOB, {_BBOX},
            buurt_code TEXT,
            domain TEXT NOT NULL DEFAULT 'social',
            status TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT '',
            reference TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            activity_id INTEGER
        );
        CREATE INDEX initiatives_buurt ON initiatives (buurt_code);
        CREATE INDEX initiatives_status ON initiatives (status);
        CREATE UNIQUE INDEX initiatives_reference ON initiatives (reference) WHERE reference <> '';

        CREATE TABLE initiative_contacts (
            id INTEGER PRIMARY KEY,
            initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            token TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE evaluation_rounds (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            opens_on TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX evaluation_rounds_plan ON evaluation_rounds (plan_id);

        CREATE TABLE evaluation_statements (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES evaluation_rounds (id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            text TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX evaluation_statements_round ON evaluation_statements (round_id);

        CREATE TABLE evaluation_responses (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES evaluation_rounds (id) ON DELETE CASCADE,
            respondent TEXT NOT NULL,
            respondent_group TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX evaluation_responses_once ON evaluation_responses (round_id, respondent);

        CREATE TABLE evaluation_answers (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES evaluation_responses (id) ON DELETE CASCADE,
            statement_id INTEGER NOT NULL REFERENCES evaluation_statements (id) ON DELETE CASCADE,
            score INTEGER,
            comment TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX evaluation_answers_response ON evaluation_answers (response_id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            recipient TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL DEFAULT '',
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '',
            sent_at TEXT NOT NULL DEFAULT '',
            claimed_at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX outbox_status ON outbox (status);
        """,
    ),
    Migration(
        12,
        "staff sessions that survive a reload: a signed cookie names one; sign-out revokes it",
        """
        CREATE TABLE staff_sessions (
            sid TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            role TEXT NOT NULL,
            partner TEXT,
            created_at REAL NOT NULL,
            last_seen REAL NOT NULL,
            revoked BOOLEAN NOT NULL DEFAULT FALSE
        );
        CREATE INDEX staff_sessions_user ON staff_sessions (user_name);
        """,
    ),
    Migration(
        15,
        "point -> area from the bounding-box columns: a covering index (the box sits after the geometry "
        "in the row, so without it every buurt's geometry was read to answer a click: 50 ms nationally)",
        """
        CREATE INDEX IF NOT EXISTS areas_bbox ON areas (level, minx, maxx, miny, maxy);
        """,
    ),
    Migration(
        17,
        "suggestions near a point from the bounding-box columns: the near-duplicate check on submitting "
        "(same category, within a distance) read every supportable suggestion by status (16-26 ms at "
        "100,000 suggestions); with the category and the box in one index about 1 ms",
        """
        CREATE INDEX IF NOT EXISTS suggestions_bbox ON suggestions (category, minx, maxx, miny, maxy);
        """,
    ),
    Migration(
        18,
        "a data version per table (the data_version of the last committed write to it), so a cache is "
        "rebuilt only after a write to a table it reads: a sign-in or a suggestion no longer rebuilds "
        "every map. Written by the store once per transaction at commit, not by triggers (a bulk import "
        "of 500,000 rows would pay per row)",
        """
        CREATE TABLE table_versions (name TEXT PRIMARY KEY, version BIGINT NOT NULL DEFAULT 0);
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
