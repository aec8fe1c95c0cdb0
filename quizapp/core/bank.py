"""The bank folder format: load a bank from disk, validate all of it, report every problem.

A bank either loads whole or not at all: `load_bank` raises `BankError` listing every problem,
each naming the file, the line or fact id, and what is wrong. See docs/bank-format.md.

This module is the format's public face; the work is split by concept:
`bank_model` (the dataclasses), `bank_yaml` (reading files), `pools` (the pool files' two
forms), `bank_rules` (validation and the summary), `bank_dump` (writing a folder back).
"""

from __future__ import annotations

from quizapp.core.bank_dump import QUESTIONS_FILE, dump_bank, fact_to_dict
from quizapp.core.bank_model import (
    GENDERS,
    GRAMMATICAL_NUMBERS,
    KINDS,
    LANGUAGES,
    NAME_KINDS,
    NUMERIC_KINDS,
    POOL_KINDS,
    SLUG,
    TAXONOMY,
    TIME_KINDS,
    Bank,
    BankError,
    BankQuestion,
    Evidence,
    Fact,
    PoolEntry,
    Problem,
)
from quizapp.core.bank_rules import (
    answer_supported,
    fact_problems,
    false_statement_problems,
    gives_away,
    grammar_problems,
    summarise,
    validate_facts,
)
from quizapp.core.bank_yaml import (
    FACT_FIELDS,
    MANIFEST_FIELDS,
    REQUIRED_FACT_FIELDS,
    SOURCE_FIELDS,
    load_bank,
    load_source,
)
from quizapp.core.passages import Passage, Source
from quizapp.core.pools import pool_to_data, read_pool

__all__ = [
    "FACT_FIELDS",
    "GENDERS",
    "GRAMMATICAL_NUMBERS",
    "KINDS",
    "LANGUAGES",
    "MANIFEST_FIELDS",
    "NAME_KINDS",
    "NUMERIC_KINDS",
    "POOL_KINDS",
    "QUESTIONS_FILE",
    "REQUIRED_FACT_FIELDS",
    "SLUG",
    "SOURCE_FIELDS",
    "TAXONOMY",
    "TIME_KINDS",
    "Bank",
    "BankError",
    "BankQuestion",
    "Evidence",
    "Fact",
    "Passage",
    "PoolEntry",
    "Problem",
    "Source",
    "answer_supported",
    "dump_bank",
    "fact_problems",
    "fact_to_dict",
    "false_statement_problems",
    "gives_away",
    "grammar_problems",
    "load_bank",
    "load_source",
    "pool_to_data",
    "read_pool",
    "summarise",
    "validate_facts",
]
