"""references out of search documents: the number is given in COMMIT without a reindex

Search documents hold a case's text (title, description, messages) but no longer its
reference: a whole diarienummer is matched on ``cases.reference_key`` and a year with a serial
(``2026/42``) on ``cases (serial_year, serial)``, the index added here
(``caseflow.web.search``). The numbering trigger of ``0013`` therefore stops rewriting the
case's document and recomputing its vector inside ``COMMIT``, which was most of its work.

Documents written before this revision still start with the reference; that is harmless
(a reference matches either way) and they lose it at their next rebuild.

Revision ID: 0014_references_out_of_search
Revises: 0013_case_numbering_at_commit
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0014_references_out_of_search"
down_revision = "0013_case_numbering_at_commit"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE OR REPLACE FUNCTION caseflow_number_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c record;
    serial_ integer;
    digits text;
    new_reference text;
    new_key text;
BEGIN
    DELETE FROM case_numbering WHERE case_id = NEW.case_id;
    IF NOT FOUND THEN
        RETURN NULL;  -- numbered already, or the case is gone
    END IF;
    SELECT id, unit_id, serial_year INTO c FROM cases WHERE id = NEW.case_id;
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
    -- The committing client learns the number from this notice, without a query after the
    -- commit (caseflow.cases.references); it holds no personal data.
    RAISE NOTICE '%', json_build_object(
        'caseflow_numbered', c.id, 'serial', serial_,
        'reference', new_reference, 'reference_key', new_key);
    RETURN NULL;
END
$$
"""


def upgrade():
    op.create_index("ix_cases_serial", "cases", ["serial_year", "serial"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        # 0013's function, which also patched the search document.
        spec = importlib.util.spec_from_file_location(
            "numbering_0013", Path(__file__).with_name("0013_case_numbering_at_commit.py")
        )
        assert spec is not None and spec.loader is not None
        previous = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(previous)
        op.execute(previous.FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    op.drop_index("ix_cases_serial", table_name="cases")
