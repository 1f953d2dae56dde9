"""The PIXI book's tips per service-need type as checklists, and each area's complaint guidance
(in Danish: they are data an administrator edits, shown as they are)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INSPECTION = "inspection"
ALL = ""

# (type, case kind or all, text): KL's "Servicemål og service-behov" (PIXI), tips per type.
CHECKLISTS = [
    ("klar_parat", ALL, "Screen sagen med henblik på straksafgørelse."),
    ("klar_parat", ALL, "Fastlæg sagsforløbet, herunder om andre afdelinger eller myndigheder skal inddrages."),
    ("klar_parat", ALL, "Ring til ansøger og afstem tidsplanen."),
    ("klar_parat", ALL, "Følg løbende op på, at den aftalte tidsplan holdes."),
    ("vejledning", ALL, "Sørg for, at en erfaren sagsbehandler afdækker sagens reelle indhold ved første kontakt."),
    ("vejledning", ALL, "Tilbyd et forhåndsdialogmøde og oplys, hvilket materiale der skal sendes før mødet."),
    ("vejledning", ALL, "Udarbejd og afstem en leveranceliste ved komplekse sager."),
    ("vejledning", ALL, "Gør klart, hvad kommunen kan vejlede om, og hvad der ligger uden for kommunens virke."),
    ("princip", ALL, "Deltag altid med rette kompetencer og mindst to medarbejdere."),
    ("princip", ALL, "Mød ansøger personligt; løs ikke sagen over mail."),
    ("princip", ALL, "Afklar hurtigt, hvad der er enighed og uenighed om, og hvorfor."),
    ("princip", ALL, "Afklar hurtigt, om der er en fælles løsning, om sagen skal forelægges politikerne, eller om den afgøres på det foreliggende grundlag."),
    ("princip", ALL, "Følg nøje alle formalia for sagsbehandling og dokumentation."),
    ("obs", ALL, "Deltag altid med rette kompetencer og mindst to medarbejdere."),
    ("obs", ALL, "Vurder, om dialog og vejledning er en farbar vej; læg i så fald en plan sammen med ansøger."),
    ("obs", ALL, "Agér som myndighed: kør sagen efter bogen og dokumentér alle trin."),
    ("obs", ALL, "Involver chefniveau og eventuelt andre myndigheder for at markere kravet om lovliggørelse."),
    ("obs", ALL, "Hold tempoet, og imødekom så vidt muligt ansøgers ønsker til mødetidspunkt."),
]
# Every type at an inspection: the cause of each indskærpelse, its timetable, a prompt report.
CHECKLISTS += [
    (kind, INSPECTION, text)
    for kind in ("klar_parat", "vejledning", "princip", "obs")
    for text in (
        "Angiv præcist årsagen til hver indskærpelse og tidsplanen for afhjælpning.",
        "Send tilsynsrapporten umiddelbart efter tilsynet.",
    )
]

COMPLAINT_GUIDANCE = {
    "building": (
        "Du kan klage over afgørelsens retlige forhold til Byggeklageenheden. Klagen skal være "
        "modtaget senest 4 uger efter, at du har fået afgørelsen. Du klager via Klageportalen, "
        "som du finder på borger.dk og virk.dk. Klagen sendes til kommunen, som videresender den."
    ),
    "environment": (
        "Du kan klage over afgørelsen til Miljø- og Fødevareklagenævnet. Klagen skal være "
        "modtaget senest 4 uger efter, at afgørelsen er offentliggjort. Du klager via "
        "Klageportalen, som du finder på borger.dk og virk.dk. Der betales et gebyr for at klage."
    ),
    "livestock": (
        "Du kan klage over afgørelsen til Miljø- og Fødevareklagenævnet. Klagen skal være "
        "modtaget senest 4 uger efter, at afgørelsen er offentliggjort. Du klager via "
        "Klageportalen, som du finder på borger.dk og virk.dk. Der betales et gebyr for at klage."
    ),
}


def add_defaults(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template = apps.get_model("cases", "ChecklistTemplateItem")
    guidance = apps.get_model("cases", "ComplaintGuidance")
    for position, (kind, case_kind, text) in enumerate(CHECKLISTS):
        template.objects.get_or_create(
            service_need_type=kind,
            case_kind=case_kind,
            text=text,
            defaults={"position": position * 10},
        )
    for area, text in COMPLAINT_GUIDANCE.items():
        guidance.objects.get_or_create(area=area, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_application_workflow")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
