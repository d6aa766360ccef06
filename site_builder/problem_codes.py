"""The catalogue of problem codes: every code the validator reports, with its severity, what it means (title),
an example line and how to fix it (hint). ``docs/problem-codes.md`` is generated from it
(``problem_codes_markdown``; `tests/test_problem_codes_doc.py` fails when the page drifts).

A new rule adds its code here, in the right section, before it reports it. Codes never change meaning once
published: scripts and checklists rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.errors import Severity


@dataclass(frozen=True)
class ProblemCode:
    """One row of the catalogue: one code, or a few that share a meaning (``schema/minimum``, ``schema/maximum``)."""

    codes: tuple[str, ...]
    title: str  # what the problem means, in plain language (Markdown)
    hint: str  # how to fix it (Markdown)
    examples: tuple[str, ...] = ()  # lines as `procure validate` prints them
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class Section:
    heading: str
    before: str  # Markdown between the heading and the table
    rows: tuple[ProblemCode, ...]
    after: str = ""  # Markdown after the table


INTRO = ('# Problem codes\n\n`procure validate` checks every record file and prints one line per problem:\n\n```\nr'
         'ecords/awards/AW-2025-001.yaml:8:11: error[schema/minimum] /value/amount: -1150000 is below the mini'
         'mum of 0 (amounts and quantities are never negative)\n```\n\nThat is: the file, the line and column (`0'
         ':0` means the whole file), the problem code in brackets, the field (as a\nJSON Pointer: `/value/amoun'
         't` is `amount` inside `value`; `/commitments/0` is the first commitment), what is wrong,\nand in brac'
         'kets how to fix it. The last line counts the problems. The command exits with 0 when the register is'
         '\nvalid, 1 when there are errors and 2 when it was called wrongly.\n\nMost problems are **errors**: the'
         ' register cannot be published until they are fixed. A few are **warnings**\n(`warning[...]` instead o'
         'f `error[...]`): something that is usually a slip but can be right, such as an award worth\nfar more '
         "than its tender's estimate. Warnings show in the pull request's checks and annotations but do not bl"
         'ock it\n(the exit status stays 0); fix the record, or leave it if it is right.\n\nCodes never change me'
         'aning once published, so scripts and checklists can rely on them. Every code is listed below.\n\n')

SECTIONS: tuple[Section, ...] = (
    Section(
        'Files',
        '',
        (
            ProblemCode(
                ('file/bom',),
                'The file starts with an invisible byte-order mark.',
                'Save as "UTF-8" (not "UTF-8 with BOM").',
                ('records/organisations/green-spaces-ltd.yaml:1:1: error[file/bom] /: the file starts with a byte-order mark (BOM) (save the file as UTF-8 without BOM)',),
            ),
            ProblemCode(
                ('file/encoding',),
                'The file is not UTF-8 text (for example Windows-1252 or UTF-16).',
                'Re-save the file as UTF-8 in your editor.',
                ('records/organisations/green-spaces-ltd.yaml:2:23: error[file/encoding] /: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)',),
            ),
            ProblemCode(
                ('file/empty',),
                'The file has no fields (it is empty or only comments).',
                'Fill in the record (`procure new tender` writes a template) or delete the file.',
                ("records/tenders/T-2025-002.yaml:1:1: error[file/empty] /: the file is empty (write the record's fields, or delete the file)",),
            ),
            ProblemCode(
                ('file/not-a-mapping',),
                'The file holds a list or a single value instead of `field: value` lines.',
                'Start with `id: ...` and write one field per line, without a leading `- `.',
                ("records/tenders/T-2025-002.yaml:1:1: error[file/not-a-mapping] /: the file holds a list; a record must be a mapping of fields (start the file with 'id: ...' and one field per line)",),
            ),
            ProblemCode(
                ('file/too-large',),
                'The file is over 1,000,000 bytes. It is not read at all.',
                'A record is a few kilobytes: remove pasted documents and link to them instead.',
                ('records/tenders/T-2025-002.yaml:0:0: error[file/too-large] /: the file is 19,999,995 bytes; the limit is 1,000,000 (...)',),
            ),
            ProblemCode(
                ('file/symlink-outside',),
                'The file is a symbolic link to somewhere outside `records/`. It is never read, so nothing outside the register can be published by accident.',
                'Put the real file in `records/`.',
                ('records/organisations/secrets.yaml:0:0: error[file/symlink-outside] /: the file is a link to a place outside records/; it was not read (put the record file itself in records/)',),
            ),
            ProblemCode(
                ('file/unreadable',),
                'The file cannot be opened (a broken link, a folder named `.yaml`, no permission).',
                'Replace it with a plain record file.',
                (),
            ),
            ProblemCode(
                ('file/unknown-folder',),
                'A YAML file outside the five record folders, so it is not part of the register.',
                'Move it into `records/organisations/`, `tenders/`, `awards/`, `outcomes/` or `measures/`.',
                ('records/contracts/AW-2025-009.yaml:0:0: error[file/unknown-folder] /: this file is not in a record folder, so it is not part of the register (move it into one of records/organisations/, ...)',),
            ),
            ProblemCode(
                ('file/extension',),
                'A record file ends in `.yml`.',
                'Rename it to end in `.yaml`.',
                ('records/tenders/T-2025-002.yml:0:0: error[file/extension] /: record files end in .yaml, not .yml (rename it to T-2025-002.yaml)',),
            ),
            ProblemCode(
                ('file/no-records',),
                'The records folder set in `mkdocs.yml` does not exist.',
                'Create `records/` or correct `records_dir`.',
                (),
            ),
            ProblemCode(
                ('file/linked-folder',),
                'A folder inside `records/` (or `records/` itself) is a symbolic link. Its records are not read, and this says so rather than leaving them out silently.',
                'Put the record files themselves in the folder.',
                ('records/outcomes:0:0: error[file/linked-folder] /: this folder is a link to another folder; its records are not read (...)',),
            ),
            ProblemCode(
                ('file/too-many-problems',),
                'A file has more than 100 problems; the first 100 are listed and this line counts the rest.',
                'Fix the ones listed (often one mistake repeated) and validate again.',
                ('records/tenders/T-2025-001.yaml:0:0: error[file/too-many-problems] /: 50 more problems in this file are not listed (fix the ones listed and validate again)',),
            ),
            ProblemCode(
                ('file/check-failed',),
                "Checking this file tripped a fault in the register's tools. The other files are still checked.",
                "Report it, with the file, to the register's maintainers.",
                (),
            ),
        ),
        '\n',
    ),
    Section(
        'YAML',
        '',
        (
            ProblemCode(
                ('yaml/syntax',),
                'The text is not valid YAML: an unclosed quote, a `:` inside an unquoted value, a control character.',
                'Look at the line given and the one above it; put values containing `: ` or `#` in quotes.',
                ("records/tenders/T-2025-001.yaml:2:27: error[yaml/syntax] /: YAML syntax error: mapping values are not allowed in this context (a value containing ': ' must be quoted, or the indentation is off)",),
            ),
            ProblemCode(
                ('yaml/tab',),
                'A line is indented with a tab. YAML only allows spaces.',
                'Replace the tab with spaces (set your editor to "indent using spaces").',
                ('records/tenders/T-2025-001.yaml:10:1: error[yaml/tab] /: line 10 is indented with a tab character (YAML indentation must use spaces: replace the tab with spaces)',),
            ),
            ProblemCode(
                ('yaml/duplicate-key',),
                'The same field appears twice in one mapping; YAML would silently keep only the last.',
                'Keep one of the two lines.',
                ("records/awards/AW-2025-001.yaml:27:7: error[yaml/duplicate-key] /commitments/0/target/unit: the key 'unit' appears twice in the same mapping (first set on line 26) (...)",),
            ),
            ProblemCode(
                ('yaml/alias',),
                'Anchors (`&name`), aliases (`*name`) or merge keys (`<<`). They hide what a record says and are how "billion laughs" files explode in memory, so they are refused at the first one.',
                'Write the value out in full.',
                ('records/tenders/T-2025-001.yaml:8:12: error[yaml/alias] /published: anchors and aliases (&name / *name) are not allowed in records (write the value out in full)',),
            ),
            ProblemCode(
                ('yaml/tag',),
                'A `!tag` such as `!!python/object`, or a value that does not fit the tag (`!!int abc`).',
                'Remove the tag.',
                ("records/tenders/T-2025-001.yaml:2:8: error[yaml/tag] /title: the tag '!!python/object/apply:os.system' is not allowed (remove the tag; records use plain YAML values only)",),
            ),
            ProblemCode(
                ('yaml/key',),
                'A key that is a list or mapping (`? [a, b]`).',
                'Write plain `field: value` lines.',
                (),
            ),
            ProblemCode(
                ('yaml/too-deep',),
                'Nested more than 32 levels (usually an unclosed `[` or runaway indentation; also how "nesting bombs" try to crash parsers).',
                'Close the brackets; check the indentation.',
                ('records/tenders/T-2025-002.yaml:2:39: error[yaml/too-deep] /notes/0/0/...: nested more than 32 levels deep (...)',),
            ),
            ProblemCode(
                ('yaml/too-large',),
                'More than 50,000 values in one record.',
                'Split the record.',
                (),
            ),
            ProblemCode(
                ('yaml/multiple-documents',),
                'The file holds more than one YAML document separated by `---`.',
                'One record per file.',
                ('records/tenders/T-2025-001.yaml:16:1: error[yaml/multiple-documents] /: the file holds more than one YAML document (---) (one record per file: move the second record to its own file)',),
            ),
        ),
        '\nHow values are read: only `true` and `false` are yes/no values (`yes`, `no`, `on` and `off` stay text), dates stay\ntext (`2025-04-01`), and a number too big to store is kept as text so that the schema reports it.\n\n',
    ),
    Section(
        'Schema (the fields of each record type)',
        "\nThe schemas in `schemas/` define every field. A schema problem's code is `schema/` plus the rule that failed.\n",
        (
            ProblemCode(
                ('schema/required',),
                'A required field is missing. Points at the mapping that lacks it; the hint says what the field is.',
                'Add the field.',
                ("records/tenders/T-2025-001.yaml:1:1: error[schema/required] /: the record is missing the required field 'status' (status: Where the procurement stands.)",),
            ),
            ProblemCode(
                ('schema/additional-property',),
                'A field the schema does not know, usually a typo. Points at the field name and suggests the closest allowed one.',
                'Correct the spelling, or remove the field.',
                ("records/tenders/T-2025-001.yaml:2:1: error[schema/additional-property] /titel: unknown field 'titel' (did you mean 'title'?)",),
            ),
            ProblemCode(
                ('schema/type',),
                'The wrong kind of value (text where a number is needed, a list where text is needed).',
                'Write the value in the form asked for; numbers without quotes, currency signs or commas.',
                ("records/awards/AW-2025-001.yaml:6:22: error[schema/type] /number_of_tenderers: expected a whole number, found the text 'four' (...)",),
            ),
            ProblemCode(
                ('schema/enum',),
                'A value not in its code list. Short lists are spelled out; for long ones (currencies) the closest code is suggested. Ratings must come from the Procurement Act UK9 scale.',
                'Use one of the listed values.',
                ("records/outcomes/OC-2025-002.yaml:12:9: error[schema/enum] /rating: 'excellent' is not a rating on the UK9 scale; use one of: good, approaching-target, requires-improvement, inadequate, other", "records/awards/AW-2025-001.yaml:9:13: error[schema/enum] /value/currency: 'GPB' is not a known code: ISO 4217 three-letter currency code (did you mean 'GBP'?)"),
            ),
            ProblemCode(
                ('schema/format',),
                'A date that does not exist, a date written in another order (`01/12/2025`: the hint gives the year-month-day form, reading it day first as in the UK), or an invalid web address.',
                'Write a real date as YYYY-MM-DD; write full web addresses.',
                ("records/tenders/T-2025-001.yaml:8:12: error[schema/format] /published: '01/12/2024' is not written as a date in the form YYYY-MM-DD (write dates as year-month-day: 2024-12-01 if you mean 1 December 2024)", "records/tenders/T-2025-001.yaml:8:12: error[schema/format] /published: '2025-02-30' is not a real calendar date (YYYY-MM-DD) (...)"),
            ),
            ProblemCode(
                ('schema/pattern',),
                'Text not in the required form: an id with spaces, slashes, `..` or look-alike letters from other alphabets; a link that is not http(s) or mailto.',
                'Ids use only A-Z, a-z, 0-9 and single `-` or `_` between them. Retype look-alike letters.',
                ("records/tenders/Т-2025-002.yaml:1:5: error[schema/pattern] /id: 'Т-2025-002' is not a valid id; it contains 'Т' (U+0422 CYRILLIC CAPITAL LETTER TE), which only looks like a plain letter or sign (...)",),
            ),
            ProblemCode(
                ('schema/minimum', 'schema/maximum'),
                'A number below or above its limit: negative money or quantities, percentages over 100 (including attribution).',
                'Correct the number.',
                ('records/awards/AW-2025-001.yaml:8:11: error[schema/minimum] /value/amount: -1150000 is below the minimum of 0 (amounts and quantities are never negative)',),
            ),
            ProblemCode(
                ('schema/min-length', 'schema/max-length'),
                'Text too short (an empty title) or too long.',
                'Write the text, or shorten it.',
                (),
            ),
        ),
        '\n',
    ),
    Section(
        'Limits every value keeps',
        '\nWhatever the field, so that any record that validates also builds (see [security](security.md)).\n',
        (
            ProblemCode(
                ('number/out-of-range',),
                'A number larger than 1,000,000,000,000,000 either side of zero, in a field whose schema sets no maximum (where it does, the problem is `schema/maximum`). Larger values cannot be added up, stored or exported reliably.',
                'Check the value.',
                (),
            ),
            ProblemCode(
                ('text/control-character',),
                'Text holding a control character (other than new line and tab), such as U+0000 or U+0001 written as a YAML escape (`"\\x01"`), or a "non-character" such as U+FFFE. Web feeds cannot carry them.',
                'Retype the text.',
                ('records/organisations/green-spaces-ltd.yaml:2:7: error[text/control-character] /name: the text holds the control character U+0001 at character 6; only new lines and tabs are allowed (...)',),
            ),
            ProblemCode(
                ('text/invisible-character',),
                'A name or title holding an invisible character (zero-width space or joiner, direction mark, soft hyphen), or any text holding a bidirectional override or isolate (U+202A to U+202E, U+2066 to U+2069). They make two different names look the same, or text display in another order than it is stored.',
                'Retype the text without it.',
                ('records/organisations/green-spaces-ltd.yaml:2:7: error[text/invisible-character] /name: a name or title holds the invisible character U+200B at character 6; ...',),
            ),
            ProblemCode(
                ('schema/min-items', 'schema/max-items', 'schema/unique-items'),
                'A list with too few or too many items, or the same item twice.',
                'Add or remove items.',
                (),
            ),
            ProblemCode(
                ('schema/any-of',),
                'A value that fits none of the forms allowed, e.g. a deadline that is neither a date nor a date and time with its time zone.',
                'Write `2025-02-14` or `2025-02-14T12:00:00Z`.',
                ("records/tenders/T-2025-001.yaml:8:13: error[schema/any-of] /tender_period/end_date: '2025-02-14T12:00' is not valid under any of the given schemas (...)",),
            ),
        ),
        '\n',
    ),
    Section(
        'Lots',
        '\nA tender may be divided into lots (`lots`, each with an `id`); an award lists the lots it covers (`lots`, their ids).\n',
        (
            ProblemCode(
                ('lot/duplicate-id',),
                'Two lots of one tender have the same id (ignoring case).',
                'Give each lot its own id, as the notice numbers them.',
                ("records/tenders/T-2025-001.yaml:25:9: error[lot/duplicate-id] /lots/2/id: the lot id '1' repeats the id of lot 1 of this tender; ids are compared ignoring upper/lower case (...)",),
            ),
            ProblemCode(
                ('lot/unresolved',),
                'An award covers a lot that its tender does not have.',
                "Use the id of one of the tender's lots, or add the lot to the tender.",
                ("records/awards/AW-2025-001.yaml:12:13: error[lot/unresolved] /lots/1: the award covers lot '3', which is not a lot of its tender 'T-2025-001' (its lots: 1, 2) (...)",),
            ),
            ProblemCode(
                ('lot/no-tender',),
                'An award lists lots but has no tender.',
                "Set the award's `tender`, or remove its `lots`.",
                ("records/awards/AW-2025-002.yaml:11:8: error[lot/no-tender] /lots/0: the award covers lot '1' but has no tender whose lots it could be (...)",),
            ),
        ),
        '\n',
    ),
    Section(
        'Imported records',
        '\nA record created by `procure import-ocds` keeps the contract even when its source did not publish a field the\nregister requires: the field is listed in the record\'s `import_gaps`, the validator reports it as a **warning** (the\nregister still builds, exit code 0) and the record\'s page says "not published by the source".\n',
        (
            ProblemCode(
                ('import/gap',),
                "A **warning**: a required field that the record's `import_gaps` says its source did not publish. Only fields listed there are warnings; any other missing required field is a `schema/required` error.",
                'Nothing is required. If you learn the value, add the field and remove it from `import_gaps`.',
                ("records/tenders/T-2025-001.yaml:1:1: warning[import/gap] /: 'status' was not published by the source this record was imported from; the site shows it as not published (status: Where the procurement stands.)",),
                severity=Severity.WARNING,
            ),
            ProblemCode(
                ('import/gap-filled',),
                'A **warning**: `import_gaps` lists a field the record has (someone added the value by hand). The page shows the value.',
                'Remove the field from `import_gaps`.',
                ("records/tenders/T-2025-001.yaml:15:58: warning[import/gap-filled] /import_gaps/3: 'cpv' is listed as not published by the source, but the record has it (remove 'cpv' from import_gaps)",),
                severity=Severity.WARNING,
            ),
        ),
        '\n',
    ),
    Section(
        'Identifiers',
        '',
        (
            ProblemCode(
                ('id/duplicate',),
                'Two records share an id, or ids that differ only in upper/lower case (they would share a web address on case-insensitive systems). Reported on every file involved, across all record types.',
                'Give each record its own id.',
                ("records/tenders/t-2025-001.yaml:1:5: error[id/duplicate] /id: the id 't-2025-001' differs only in upper/lower case from the id in records/tenders/T-2025-001.yaml (...)",),
            ),
            ProblemCode(
                ('id/reserved-name',),
                'An id Windows keeps for a device (`CON`, `PRN`, `AUX`, `NUL`, `COM1` to `COM9`, `LPT1` to `LPT9`, in any case): a file with that name cannot be checked out on Windows.',
                'Choose another id.',
                ("records/organisations/CON.yaml:1:5: error[id/reserved-name] /id: the id 'CON' is a name Windows keeps for a device, ... (add to it, for example 'CON-1')",),
            ),
            ProblemCode(
                ('id/filename-mismatch',),
                "The file name is not the record's id.",
                'Rename the file or change the id.',
                ("records/tenders/T-2025-001.yaml:1:5: error[id/filename-mismatch] /id: the id 'T-2025-01' does not match the file name 'T-2025-001.yaml' (rename the file to T-2025-01.yaml, or change the id to 'T-2025-001')",),
            ),
        ),
        '\n',
    ),
    Section(
        'References between records',
        '',
        (
            ProblemCode(
                ('ref/unresolved',),
                'A reference names no record of the right type: a tender\'s buyer, an award\'s tender, buyer or suppliers, an outcome\'s award, commitment, reporter or the outcome it supersedes. Ids are matched exactly; a near miss (in case, spelling, or an organisation\'s name written instead of its id) is suggested as "did you mean", so an existing organisation is not added twice.',
                'Correct the id, or add the missing record.',
                ("records/tenders/T-2025-001.yaml:3:8: error[ref/unresolved] /buyer: no organisation 'greenbridge-counsil' in the register (...)", "records/outcomes/OC-2025-002.yaml:3:13: error[ref/unresolved] /commitment: award 'AW-2025-001' has no commitment 'C7' (its commitments are: C1)"),
            ),
            ProblemCode(
                ('ref/self',),
                'A record refers to itself (an outcome that supersedes itself).',
                'Name the earlier outcome, or remove the field.',
                ("records/outcomes/OC-2025-002.yaml:14:13: error[ref/self] /supersedes: the outcome 'OC-2025-002' supersedes itself (...)",),
            ),
            ProblemCode(
                ('ref/role',),
                'A buyer that is not marked as a buyer, or a supplier not marked as a supplier, in its organisation record.',
                'Add the role to the organisation, or name the right organisation.',
                ("records/awards/AW-2025-001.yaml:12:5: error[ref/role] /suppliers/1: organisation 'greenbridge-council' is not marked as a supplier (its roles: buyer) (...)",),
            ),
            ProblemCode(
                ('ref/buyer-mismatch',),
                "An award's buyer is not the buyer of its tender.",
                "Correct the award's buyer or its tender.",
                ("records/awards/AW-2025-001.yaml:3:8: error[ref/buyer-mismatch] /buyer: the award's buyer 'greenbridge-schools-trust' is not the buyer of its tender 'T-2025-001' ('greenbridge-council') (...)",),
            ),
        ),
        '\n',
    ),
    Section(
        'Dates',
        '',
        (
            ProblemCode(
                ('date/published-before-date',),
                "An award's `published` date is before its `date` (the day it was made). An award imported by `procure import-ocds` is not checked: it says what its source published.",
                'Correct one of the two dates.',
                ("records/awards/AW-2025-001.yaml:7:12: error[date/published-before-date] /published: published 2025-03-10 is before the award's date 2025-03-14 (...)",),
            ),
            ProblemCode(
                ('date/order',),
                'A period (tender period, contract period, commitment target period, outcome period) ends before it starts.',
                'Swap or correct the dates.',
                ('records/awards/AW-2025-001.yaml:14:13: error[date/order] /contract_period/end_date: the period ends (2025-04-01) before it starts (2029-03-31) (...)',),
            ),
        ),
        '\n',
    ),
    Section(
        'Commitments, measures and social value',
        '',
        (
            ProblemCode(
                ('commitment/duplicate-id',),
                'Two commitments of one award share an id (ignoring case).',
                'Number them C1, C2, C3...',
                ("records/awards/AW-2025-001.yaml:36:9: error[commitment/duplicate-id] /commitments/1/id: the commitment id 'c1' repeats the id of commitment 1 of this award; ids are compared ignoring upper/lower case (...)",),
            ),
            ProblemCode(
                ('kpi/duplicate-id',),
                'Two KPIs of one award share an id (ignoring case). Each KPI is its own row in the KPI download and its own metric in the OCDS data, found by its id.',
                'Number them KPI1, KPI2, KPI3...',
                ("records/awards/AW-2025-001.yaml:19:9: error[kpi/duplicate-id] /kpis/1/id: the KPI id 'kpi1' repeats the id of KPI 1 of this award; ids are compared ignoring upper/lower case (...)",),
            ),
            ProblemCode(
                ('measure/duplicate-code',),
                'Two measures in the catalogue have the same scheme and code.',
                'Keep one.',
                (),
            ),
            ProblemCode(
                ('sv/unknown-measure',),
                "A commitment's measure (scheme + code) is not in `records/measures/`, and its scheme is not listed as external in `mkdocs.yml`.",
                'Add the measure, or add the scheme to `external_schemes`.',
                ("records/awards/AW-2025-001.yaml:20:13: error[sv/unknown-measure] /commitments/0/measure/code: no measure 'JOBS2' of scheme 'local' in records/measures/ (...)",),
            ),
            ProblemCode(
                ('sv/measure-unit-mismatch',),
                "A commitment's target unit differs from its measure's unit.",
                "Use the measure's unit.",
                (),
            ),
            ProblemCode(
                ('sv/unit-mismatch',),
                "An outcome is reported in a different unit from its commitment's target (units are never converted or added together).",
                "Report in the commitment's unit.",
                ("records/outcomes/OC-2025-002.yaml:10:9: error[sv/unit-mismatch] /delivered/unit: delivered in 'people' but commitment 'C1' of award 'AW-2025-001' is counted in 'fte' (...)",),
            ),
            ProblemCode(
                ('sv/period-outside-contract',),
                "An outcome's period, or a commitment's target period, is not inside the award's contract period.",
                'Correct the period or the contract dates.',
                ("records/outcomes/OC-2025-001.yaml:5:3: error[sv/period-outside-contract] /period: the period 2025-01-01 to 2025-09-30 is not inside the contract period of award 'AW-2025-001', 2025-04-01 to 2029-03-31 (...)",),
            ),
            ProblemCode(
                ('sv/cumulative-decrease',),
                'A running total (`cumulative_to_date`) goes down from one period to the next for the same commitment. Outcomes replaced by a correction (`supersedes`) are left out.',
                'Correct the figure; if the earlier report was too high, publish a correcting outcome that supersedes it.',
                ('records/outcomes/OC-2025-002.yaml:11:23: error[sv/cumulative-decrease] /delivered/cumulative_to_date: cumulative_to_date 3 is less than the 4 reported for the earlier period 2025-04-01 to 2025-09-30 in OC-2025-001 (...)',),
            ),
            ProblemCode(
                ('sv/evidence-required',),
                'An outcome claims `buyer-validated` or `independently-verified` assurance with no evidence.',
                'Add evidence, or mark it `self-reported`.',
                ("records/outcomes/OC-2025-002.yaml:13:12: error[sv/evidence-required] /assurance: assurance 'independently-verified' needs at least one piece of evidence (...)",),
            ),
            ProblemCode(
                ('sv/monetised-without-proxy',),
                'An outcome gives a money value, but its commitment declares no proxy valuation (value per unit, source and version), so the figure cannot be checked.',
                'Add a `valuation` to the commitment, or remove the money value.',
                ("records/outcomes/OC-2025-001.yaml:18:22: error[sv/monetised-without-proxy] /monetised_value_gbp: a monetised value is given but commitment 'C1' of award 'AW-2025-001' declares no proxy valuation with a value per unit, source and version (...)",),
            ),
        ),
        '\n',
    ),
    Section(
        'Procedures, contract changes and terminations',
        '',
        (
            ProblemCode(
                ('procedure/missing',),
                'An award names no tender and does not say how its supplier was chosen, so a direct award would escape the integrity checks.',
                'Add `tender:` if the tender is in the register; otherwise add `procedure:` with `method`, `legal_basis` and (direct or limited) a `justification`.',
                ('records/awards/AW-2025-001.yaml:1:1: error[procedure/missing] /: the award names no tender, so it must say how the supplier was chosen (...)',),
            ),
            ProblemCode(
                ('procedure/with-tender',),
                "An award names a tender and also has its own `procedure`. The tender's method is the one that counts.",
                'Remove `procedure` from the award (put the justification on the tender).',
                (),
            ),
            ProblemCode(
                ('procedure/method-missing',),
                "An award's `procedure` gives neither a `method` nor, for imported data that does not say, `not_stated`.",
                'Add the method.',
                (),
            ),
            ProblemCode(
                ('procedure/method-conflict',),
                "An award's `procedure` gives a `method` and also says it is `not_stated`.",
                'Remove `not_stated`.',
                (),
            ),
            ProblemCode(
                ('procedure/justification-missing',),
                'A direct or limited procedure (on a tender, or on an award without one) has no legal justification.',
                'Add `justification:` with a `ground` from the list, an `explanation`, and the UK5 `transparency_notice` where one was published.',
                ('records/awards/AW-2025-001.yaml:3:11: error[procedure/justification-missing] /procedure/method: a direct award needs its legal justification (...)',),
            ),
            ProblemCode(
                ('procedure/ground-law-mismatch',),
                "The justification's ground belongs to another law than the procedure's legal basis (a PCR 2015 ground on a Procurement Act 2023 award).",
                'Pick a ground of the right law, or correct `legal_basis`.',
                ("records/awards/AW-2025-001.yaml:6:13: error[procedure/ground-law-mismatch] /procedure/justification/ground: the ground 'pcr2015-reg32-single-supplier' belongs to PCR2015 but the procedure's legal basis is 'PA2023' (...)",),
            ),
            ProblemCode(
                ('change/duplicate-id',),
                'Two changes of one award share an id (ignoring case).',
                'Number them CH1, CH2, ...',
                (),
            ),
            ProblemCode(
                ('change/before-award',),
                'A change is dated before the award decision.',
                'Check the date.',
                (),
            ),
            ProblemCode(
                ('change/out-of-order',),
                'A change is dated before the change listed above it. Changes are listed oldest first, so that each one\'s "before" figures follow from the one above.',
                'Reorder the changes.',
                (),
            ),
            ProblemCode(
                ('change/missing-figures',),
                'A change of `value` lacks `value_before` or `value_after`, or a change of `end-date` lacks `end_date_before` or `end_date_after`.',
                'Add both figures.',
                (),
            ),
            ProblemCode(
                ('change/missing-kind',),
                'A change gives value or end-date figures but does not list that kind in `kinds`.',
                'Add the kind, or remove the figures.',
                (),
            ),
            ProblemCode(
                ('change/value-chain',),
                "A change's `value_before` is not the value the contract then had (the award's value, or the previous change's `value_after`).",
                'Correct the figure, or add the missing change before it.',
                ('records/awards/AW-2025-001.yaml:24:7: error[change/value-chain] /changes/0/value_before: value_before is 45,000 GBP but the contract then stood at 40,000 GBP (...)',),
            ),
            ProblemCode(
                ('change/end-date-chain',),
                "A change's `end_date_before` is not the end date the contract then had.",
                'Correct the date, or add the missing change before it.',
                (),
            ),
            ProblemCode(
                ('date/register-after-event',),
                "A planned engagement event's `register_by` date is after the event itself.",
                'Check both dates.',
                (),
            ),
            ProblemCode(
                ('kpi/same-id-as-commitment',),
                "An assessed KPI has the same id as one of the award's social-value commitments (ignoring case). In OCDS both are reported under `contracts[].implementation.metrics`, so their figures would be merged.",
                'Give KPIs their own ids (`KPI1`, `KPI2`...).',
                (),
            ),
            ProblemCode(
                ('framework/not-a-framework',),
                "A call-off's `framework` names an award that is not a framework agreement (it has no `framework_agreement`).",
                "Name the framework's award, or add `framework_agreement` to it.",
                (),
            ),
            ProblemCode(
                ('framework/supplier-not-on-framework',),
                "A call-off goes to a supplier that is not one of the framework's suppliers.",
                'Check the supplier, or the framework named.',
                ("records/awards/AW-2025-011.yaml:16:13: error[framework/supplier-not-on-framework] /suppliers/0: 'blue-roofs-ltd' is not a supplier of framework 'AW-2025-010' (green-spaces-ltd) (...)",),
            ),
            ProblemCode(
                ('framework/call-off-outside-term',),
                "A call-off is dated outside the framework's contract period.",
                'Check the date, or the framework named.',
                (),
            ),
            ProblemCode(
                ('termination/status',),
                "A termination is recorded but the award's `contract_status` is not `terminated` (or the tender's status is not cancelled, unsuccessful or withdrawn).",
                'Set the status, or remove the termination.',
                (),
            ),
            ProblemCode(
                ('termination/outside-contract',),
                "A contract's termination date is before its start (it was cancelled, not terminated) or after its (changed) end date.",
                'Correct the date; use `contract_status: cancelled` for a contract that never started.',
                (),
            ),
        ),
        '\nKPI assessment periods that end before they start, and a `forward_plan` whose contract starts before its tender, are reported as `date/order`; ratings outside the UK9 scale as\n`schema/enum`.\n\nRatings outside the UK9 scale (`schema/enum`) and attribution outside 0–100% (`schema/minimum`, `schema/maximum`) are\nchecked by the schema.\n\n',
    ),
    Section(
        'Mistakes `procure new` and pull requests catch',
        '',
        (
            ProblemCode(
                ('placeholder/unreplaced',),
                'A value `procure new` wrote for you to replace (it starts with "Replace with") is still there. The schema\'s own complaint about that value is not repeated.',
                'Write the real title, amount, supplier id...',
                ("records/awards/AW-2025-002.yaml:3:8: error[placeholder/unreplaced] /title: 'Replace with the contract's title' is a placeholder left from `procure new` (write the real value here)",),
            ),
            ProblemCode(
                ('award/before-tender-deadline',),
                "An award is dated before its tender's deadline for bids: it names the wrong tender, or a date is wrong. An award imported by `procure import-ocds` is not checked: it says what its source published.",
                'Name the tender that was awarded, or correct the dates.',
                ("records/awards/AW-2025-001.yaml:2:9: error[award/before-tender-deadline] /tender: the award is dated 2025-02-10, but its tender 'T-2025-001' took bids until 2025-02-14 (...)",),
            ),
            ProblemCode(
                ('award/tender-open',),
                'An award names a tender that is still open for bids (status `active`, with no deadline or one still to come). An award imported by `procure import-ocds` is not checked: it says what its source published.',
                "Name the right tender; once bidding has closed, set that tender's status to `complete`.",
                ("records/awards/AW-2025-001.yaml:2:9: error[award/tender-open] /tender: its tender 'T-2025-001' is still open for bids (with no deadline given) (...)",),
            ),
            ProblemCode(
                ('tender/open-after-award',),
                'A **warning**: a tender is still marked open for bids (`active`) although its deadline has passed and an award names it.',
                "Set the tender's status to `complete` (or `cancelled`).",
                ("records/tenders/T-2025-001.yaml:4:9: warning[tender/open-after-award] /status: the tender is still marked open for bids, but bidding closed on 2025-02-14 and award 'AW-2025-001' has been made (...)",),
                severity=Severity.WARNING,
            ),
            ProblemCode(
                ('award/value-far-from-estimate',),
                'A **warning**: an award is worth more than 5 times its tender\'s estimate, or a tender\'s awards together less than a tenth of it: usually a zero too many or too few. (Smaller gaps are shown to the public by the "award above the estimate" indicator.)',
                'Check the digits; if the value is right, leave it.',
                ("records/awards/AW-2025-001.yaml:8:11: warning[award/value-far-from-estimate] /value/amount: the award's value £11,500,000 is more than 5 times its tender's estimate of £1,200,000 (...)",),
                severity=Severity.WARNING,
            ),
        ),
        '\n',
    ),
    Section(
        'Output for tools',
        '\n`procure validate --format json` prints the same problems as JSON (`path`, `line`, `col`, `severity`, `code`,\n`pointer`, `message`, `hint`); `--format github` prints GitHub Actions annotations, so problems show on the lines of a\npull request. `procure validate records/awards` reports only the problems in those files, but still checks them\nagainst the whole register.\n',
        (
        ),
    ),
)


CODES: dict[str, ProblemCode] = {code: row for section in SECTIONS for row in section.rows for code in row.codes}


def problem_codes_markdown() -> str:
    """docs/problem-codes.md, as generated from the catalogue."""
    parts = [INTRO]
    for section in SECTIONS:
        parts.append(f"## {section.heading}\n{section.before}")
        if section.rows:
            parts.append("\n| Code | Meaning | How to fix |\n| --- | --- | --- |\n")
            for row in section.rows:
                meaning = "<br>".join([row.title, *(f"`{example}`" for example in row.examples)])
                parts.append(f"| {', '.join(f'`{code}`' for code in row.codes)} | {meaning} | {row.hint} |\n")
            parts.append(section.after)
    return "".join(parts)
