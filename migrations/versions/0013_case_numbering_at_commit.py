"""case numbering at commit: web-form cases get their diarienummer inside COMMIT

A case opened with ``reference_later`` writes a ``case_numbering`` row beside it; on
PostgreSQL a deferred constraint trigger on that table takes the unit's serial, writes the
reference (and patches the placeholder in the case's search document), deletes the row and
tells the committing client the number in a notice, as the transaction commits. The unit's counter row is then locked for the commit alone: before,
it stayed locked across the application's last round trips, and every submission to the unit
queued behind the slowest thread. Gap-free numbering is unchanged: the serial is taken in the
committing transaction and rolls back with it. SQLite keeps numbering in the application.

Revision ID: 0013_case_numbering_at_commit
Revises: 0012_usage_events_day_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_case_numbering_at_commit"
down_revision = "0012_usage_events_day_kind"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION caseflow_number_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c record;
    serial_ integer;
    digits text;
    new_reference text;
    new_key text;
    old_head text;
    new_document text;
BEGIN
    DELETE FROM case_numbering WHERE case_id = NEW.case_id;
    IF NOT FOUND THEN
        RETURN NULL;  -- numbered already, or the case is gone
    END IF;
    SELECT id, unit_id, serial_year, reference, reference_key INTO c
        FROM cases WHERE id = NEW.case_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO case_sequences AS s (unit_id, year, last_value)
        VALUES (c.unit_id, c.serial_year, 1)
        ON CONFLICT (unit_id, year) DO UPDATE SET last_value = s.last_value + 1
        RETURNING last_value INTO serial_;
    digits := lpad(serial_::text, greatest(NEW.width, length(serial_::text)), '0');
    new_reference := NEW.before || digits || NEW.after;
    new_key := NEW.key_before || digits || NEW.key_after;
    UPDATE cases SET serial = serial_, reference = new_reference, reference_key = new_key
        WHERE id = c.id;
    -- The search document starts with the reference and its key (caseflow.web.search).
    old_head := c.reference || ' ' || c.reference_key || ' ';
    SELECT new_reference || ' ' || new_key || ' ' || substr(document, length(old_head) + 1)
        INTO new_document
        FROM case_search WHERE case_id = c.id AND starts_with(document, old_head);
    IF FOUND THEN
        UPDATE case_search
            SET document = new_document, vector = to_tsvector('swedish', new_document)
            WHERE case_id = c.id;
    END IF;
    -- The committing client learns the number from this notice, without a query after the
    -- commit (caseflow.cases.references); it holds no personal data.
    RAISE NOTICE '%', json_build_object(
        'caseflow_numbered', c.id, 'serial', serial_,
        'reference', new_reference, 'reference_key', new_key);
    RETURN NULL;
END
$$
"""

TRIGGER = """
CREATE CONSTRAINT TRIGGER case_numbering_at_commit
    AFTER INSERT ON case_numbering
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION caseflow_number_case()
"""


def upgrade():
    op.create_table(
        "case_numbering",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.String(length=50), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("after", sa.String(length=50), nullable=False),
        sa.Column("key_before", sa.String(length=50), nullable=False),
        sa.Column("key_after", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_numbering_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_numbering")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)
        op.execute(TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_numbering_at_commit ON case_numbering")
        op.execute("DROP FUNCTION IF EXISTS caseflow_number_case()")
    op.drop_table("case_numbering")
