"""Read an organisation file, YAML or CSV, into plain records that know their line.

The formats are described in docs/organisation-import.md, with an example in
docs/organisation-example.yaml. Reading checks everything the file can say about itself (required
fields, lengths, roles, repeated entries); `services.import_organisation` checks what needs the
database. Every problem names its line, so a municipality can fix its file by hand.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from indgang.organisation.constants import Role

# The longest values the models take (Municipality, Department, Unit, Django's User).
MUNICIPALITY_NAME_LENGTH = 100
DEPARTMENT_CODE_LENGTH = 10
NAME_LENGTH = 150
USERNAME_LENGTH = 150
EMAIL_LENGTH = 254
CSV_COLUMNS = (
    "municipality_code",
    "municipality_name",
    "department",
    "department_name",
    "unit",
    "frontline",
    "username",
    "name",
    "email",
    "role",
)
YES = frozenset({"ja", "yes", "true", "1", "x"})
NO = frozenset({"", "nej", "no", "false", "0"})
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class OrganisationFileError(Exception):
    """The file cannot be imported; `problems` says why, line by line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class DepartmentRecord:
    abbreviation: str
    name: str
    line: int


@dataclass(frozen=True)
class UnitRecord:
    department: str
    name: str
    is_frontline: bool
    line: int


@dataclass(frozen=True)
class RoleRecord:
    role: Role
    department: str
    unit: str | None
    line: int


@dataclass(frozen=True)
class StaffRecord:
    username: str
    full_name: str
    email: str
    roles: tuple[RoleRecord, ...]
    line: int


@dataclass(frozen=True)
class OrganisationRecords:
    municipality_code: str
    municipality_name: str
    departments: tuple[DepartmentRecord, ...]
    units: tuple[UnitRecord, ...]
    staff: tuple[StaffRecord, ...]


def read_organisation_file(*, path: Path) -> OrganisationRecords:
    """Read a .yaml/.yml or .csv file; raise OrganisationFileError naming every problem."""
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".csv"}:
        raise OrganisationFileError(
            [Problem(1, _("The file must end in .yaml, .yml or .csv, not %r.") % path.suffix)]
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OrganisationFileError([Problem(line, _("The file is not UTF-8."))]) from error
    reader = _Reader()
    records = reader.read_csv(text) if suffix == ".csv" else reader.read_yaml(text)
    if reader.problems or records is None:
        raise OrganisationFileError(reader.problems)
    return records


@dataclass
class _Staff:
    """A staff member as read so far (a CSV names them on one row per role)."""

    username: str
    full_name: str
    email: str
    line: int
    roles: list[RoleRecord] = field(default_factory=list)


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on."""

    line = 0


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, with line numbers on mappings, and numbers and dates kept as text
    (a code such as `0101` stays `0101`)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    constructed = loader.construct_mapping(node, deep=True)
    mapping = _Mapping((str(key), value) for key, value in constructed.items())
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
for _tag in ("int", "float", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_text)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.departments: dict[str, DepartmentRecord] = {}
        self.units: dict[tuple[str, str], UnitRecord] = {}
        self.staff: dict[str, _Staff] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    # -- YAML ---------------------------------------------------------------------------------

    def read_yaml(self, text: str) -> OrganisationRecords | None:
        try:
            document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(
                line, _("This is not valid YAML (%(problem)s).") % {"problem": error.problem}
            )
            return None
        except yaml.YAMLError as error:
            self.problem(1, _("This is not valid YAML (%(problem)s).") % {"problem": error})
            return None
        if document is None:
            self.problem(1, _("The file is empty."))
            return None
        top = self.mapping(document, 1, ("municipality", "departments", "staff"))
        if top is None:
            return None
        municipality = self.mapping(top.get("municipality"), top.line, ("code", "name"))
        code = name = ""
        if municipality is None:
            self.problem(top.line, _("The file must name its municipality (code and name)."))
        else:
            code = self.municipality_code(municipality.get("code"), municipality.line)
            name = self.text(
                municipality.get("name"),
                municipality.line,
                _("the municipality's name"),
                MUNICIPALITY_NAME_LENGTH,
            )
        for department in self.sequence(top.get("departments"), top.line, "departments"):
            item = self.mapping(department, top.line, ("code", "name", "units"))
            if item is None:
                continue
            abbreviation = self.add_department(item.get("code"), item.get("name"), item.line)
            for unit in self.sequence(item.get("units"), item.line, "units"):
                unit_item = self.mapping(unit, item.line, ("name", "frontline"))
                if unit_item is not None:
                    self.add_unit(
                        abbreviation,
                        unit_item.get("name"),
                        unit_item.get("frontline", False),
                        unit_item.line,
                    )
        for person in self.sequence(top.get("staff"), top.line, "staff"):
            item = self.mapping(person, top.line, ("username", "name", "email", "roles"))
            if item is None:
                continue
            known = self.staff.get(str(item.get("username", "")).strip())
            if known is not None:
                self.problem(
                    item.line,
                    _("%(username)s is listed on line %(line)d too.")
                    % {"username": known.username, "line": known.line},
                )
                continue
            username = self.add_staff(
                item.get("username"), item.get("name"), item.get("email"), item.line
            )
            for role in self.sequence(item.get("roles"), item.line, "roles"):
                role_item = self.mapping(role, item.line, ("role", "department", "unit"))
                if role_item is not None and username:
                    self.add_role(
                        username,
                        role_item.get("role"),
                        role_item.get("department"),
                        role_item.get("unit"),
                        role_item.line,
                    )
        return self.records(code, name)

    def mapping(self, value: object, line: int, keys: tuple[str, ...]) -> _Mapping | None:
        if not isinstance(value, _Mapping):
            if value is not None:
                self.problem(
                    line, _("Expected fields (%(keys)s) here.") % {"keys": ", ".join(keys)}
                )
            return None
        for key in value:
            if key not in keys:
                self.problem(
                    value.line,
                    _("Unknown field %(key)r; the fields here are: %(keys)s.")
                    % {"key": key, "keys": ", ".join(keys)},
                )
        return value

    def sequence(self, value: object, line: int, name: str) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                line, _("%(name)s must be a list (lines beginning with -).") % {"name": name}
            )
            return []
        return value

    # -- CSV ----------------------------------------------------------------------------------

    def read_csv(self, text: str) -> OrganisationRecords | None:
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [column.strip().lower() for column in next(reader, [])]
        if tuple(header) != CSV_COLUMNS:
            self.problem(
                1,
                _("The first line must name the columns %(columns)s.")
                % {"columns": delimiter.join(CSV_COLUMNS)},
            )
            return None
        municipality: tuple[str, str, int] | None = None
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(CSV_COLUMNS):
                self.problem(
                    line,
                    _("The row has %(found)d columns, not %(expected)d.")
                    % {"found": len(row), "expected": len(CSV_COLUMNS)},
                )
                continue
            cells = dict(zip(CSV_COLUMNS, (cell.strip() for cell in row), strict=True))
            code = self.municipality_code(cells["municipality_code"], line)
            name = self.text(
                cells["municipality_name"],
                line,
                _("the municipality's name"),
                MUNICIPALITY_NAME_LENGTH,
            )
            if municipality is None:
                municipality = (code, name, line)
            elif (code, name) != municipality[:2]:
                self.problem(
                    line,
                    _("Another municipality than on line %(line)d; a file holds one.")
                    % {"line": municipality[2]},
                )
            abbreviation = self.add_department(cells["department"], cells["department_name"], line)
            if cells["unit"]:
                self.add_unit(abbreviation, cells["unit"], cells["frontline"], line)
            elif cells["frontline"].lower() not in NO:
                self.problem(line, _("Only a unit can be front line; the unit is missing."))
            if cells["username"]:
                username = self.add_staff(cells["username"], cells["name"], cells["email"], line)
                if username:
                    self.add_role(
                        username, cells["role"], abbreviation, cells["unit"] or None, line
                    )
            elif cells["name"] or cells["email"] or cells["role"]:
                self.problem(line, _("The username is missing."))
        if municipality is None:
            self.problem(1, _("The file holds no rows."))
            return None
        return self.records(municipality[0], municipality[1])

    # -- Fields -------------------------------------------------------------------------------

    def text(
        self, value: object, line: int, label: str, max_length: int, *, required: bool = True
    ) -> str:
        if value is None or value == "":
            if required:
                self.problem(line, _("%(field)s is missing.") % {"field": label.capitalize()})
            return ""
        if not isinstance(value, str):
            self.problem(line, _("%(field)s must be text.") % {"field": label.capitalize()})
            return ""
        text = value.strip()
        if CONTROL.search(text):
            self.problem(
                line, _("%(field)s holds control characters.") % {"field": label.capitalize()}
            )
            return ""
        if not text and required:
            self.problem(line, _("%(field)s is missing.") % {"field": label.capitalize()})
        if len(text) > max_length:
            self.problem(
                line,
                _("%(field)s is longer than %(max)d characters.")
                % {"field": label.capitalize(), "max": max_length},
            )
            return ""
        return text

    def municipality_code(self, value: object, line: int) -> str:
        code = self.text(value, line, _("the municipality code"), 3)
        if code and not re.fullmatch(r"\d{3}", code):
            self.problem(line, _("The municipality code must be three digits, such as 101."))
        return code

    def add_department(self, code: object, name: object, line: int) -> str:
        abbreviation = self.text(code, line, _("the department's code"), DEPARTMENT_CODE_LENGTH)
        title = self.text(name, line, _("the department's name"), NAME_LENGTH)
        if not abbreviation or not title:
            return abbreviation
        known = self.departments.get(abbreviation)
        if known is None:
            self.departments[abbreviation] = DepartmentRecord(abbreviation, title, line)
        elif known.name != title:
            self.problem(
                line,
                _("The department %(code)s is named %(name)r on line %(line)d.")
                % {"code": abbreviation, "name": known.name, "line": known.line},
            )
        return abbreviation

    def add_unit(self, department: str, name: object, frontline: object, line: int) -> None:
        title = self.text(name, line, _("the unit's name"), NAME_LENGTH)
        is_frontline = self.flag(frontline, line)
        if not department or not title or is_frontline is None:
            return
        known = self.units.get((department, title))
        if known is None:
            self.units[department, title] = UnitRecord(department, title, is_frontline, line)
        elif known.is_frontline != is_frontline:
            self.problem(
                line,
                _("The unit %(unit)s is front line on one line and not on line %(line)d.")
                % {"unit": title, "line": known.line},
            )

    def flag(self, value: object, line: int) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in YES | NO:
            return value.strip().lower() in YES
        self.problem(line, _("Front line must be yes or no (ja or nej)."))
        return None

    def add_staff(self, username: object, name: object, email: object, line: int) -> str:
        login = self.text(username, line, _("the username"), USERNAME_LENGTH)
        full_name = self.text(name, line, _("the name"), NAME_LENGTH)
        address = self.text(email, line, _("the email address"), EMAIL_LENGTH, required=False)
        try:
            if login:
                UnicodeUsernameValidator()(login)
            if address:
                validate_email(address)
        except ValidationError as error:
            self.problem(line, " ".join(error.messages))
            return ""
        if not login or not full_name:
            return ""
        known = self.staff.get(login)
        if known is None:
            self.staff[login] = _Staff(login, full_name, address, line)
        elif (known.full_name, known.email) != (full_name, address):
            self.problem(
                line,
                _("%(username)s has another name or email address on line %(line)d.")
                % {"username": login, "line": known.line},
            )
        return login

    def add_role(
        self, username: str, role: object, department: object, unit: object, line: int
    ) -> None:
        name = self.text(role, line, _("the role"), 20)
        abbreviation = self.text(department, line, _("the role's department"), NAME_LENGTH)
        unit_name = self.text(unit, line, _("the role's unit"), NAME_LENGTH, required=False)
        if name and name not in Role.values:
            self.problem(
                line,
                _("Unknown role %(role)r; the roles are: %(roles)s.")
                % {"role": name, "roles": ", ".join(Role.values)},
            )
            return
        if not name or not abbreviation:
            return
        staff = self.staff[username]
        for earlier in staff.roles:
            if (earlier.role, earlier.department) == (name, abbreviation):
                self.problem(
                    line,
                    _(
                        "%(username)s has the role %(role)s in %(department)s on line "
                        "%(line)d too; a role is held once per department."
                    )
                    % {
                        "username": username,
                        "role": name,
                        "department": abbreviation,
                        "line": earlier.line,
                    },
                )
                return
        staff.roles.append(RoleRecord(Role(name), abbreviation, unit_name or None, line))

    def records(self, code: str, name: str) -> OrganisationRecords:
        return OrganisationRecords(
            municipality_code=code,
            municipality_name=name,
            departments=tuple(self.departments.values()),
            units=tuple(self.units.values()),
            staff=tuple(
                StaffRecord(s.username, s.full_name, s.email, tuple(s.roles), s.line)
                for s in self.staff.values()
            ),
        )
