"""The words the tests look for, in each language: a few written out (mirrors
ui/src/i18n/*.json), and any message read from the UI's own dictionaries with `say`."""

import json
import re

from backend.settings import REPO_ROOT

LANGUAGES = ["de", "en", "es", "fr", "it", "ru"]
MESSAGES = {
    lang: json.loads((REPO_ROOT / "ui" / "src" / "i18n" / f"{lang}.json").read_text("utf-8"))
    for lang in LANGUAGES
}


def say(lang: str, key: str, **params: object) -> str:
    """The UI's message `key` in `lang`, with its {placeholders} filled (no plural forms)."""
    value: object = MESSAGES[lang]
    for part in key.split("."):
        assert isinstance(value, dict), key
        value = value[part]
    assert isinstance(value, str), key
    return re.sub(r"\{(\w+)\}", lambda match: str(params[match.group(1)]), value)


STAGE_NAMES: dict[str, list[str]] = {
    "en": ["In box", "Building", "Priming", "Painting", "Done"],
    "ru": ["В коробке", "Сборка", "Грунтовка", "Покраска", "Готово"],
}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "available": "Available: {n}",
        "empty": "Your pile starts here",
        "no_match": "Nothing matches",
        "insufficient": "{n} left in",
        "name_taken": "A type with this name already exists.",
        "add_type": "Add a type",
        "percent": "{p}% done",
        "moved": "{a} → {b}",
        "added": "Bought → {stage}",
        "double": "Merging the same file twice",
        "offline": "Can't reach the app's server",
        "now": "now",
        "chart": "Miniatures added vs finished per month",
        "app": "Miniatures Progress Tracker",
        "collection": "Your collection",
        "progress": "Progress",
        "quick_busy": "Moving one {name} miniature from In box to Building…",
        "exporting": "Exporting a backup…",
        "qty_invalid": "Enter a whole number from {min} to {max}.",
        "million": "1,000,000",
        "move_done": "Moved {qty} from {a} to {b}.",
        "from_empty": "Nothing is left in {stage}. Choose another stage to move from.",
    },
    "ru": {
        "available": "Доступно: {n}",
        "empty": "Здесь начинается ваша стопка",
        "no_match": "Ничего не найдено",
        "insufficient": "осталось {n}",
        "name_taken": "Тип с таким названием уже есть.",
        "add_type": "Добавить тип",
        "percent": "Готово {p}\u00a0%",
        "moved": "{a} → {b}",
        "added": "Куплено → {stage}",
        "double": "Если объединить один и тот же файл дважды",
        "offline": "Нет связи с сервером приложения",
        "now": "сейчас",
        "chart": "Добавлено и готово по месяцам",
        "app": "Трекер миниатюр",
        "collection": "Ваша коллекция",
        "progress": "Прогресс",
        "quick_busy": "Переводим одну миниатюру «{name}» из этапа «В коробке» в «Сборка»…",
        "exporting": "Создаём резервную копию…",
        "qty_invalid": "Введите целое число от {min} до {max}.",
        "million": "1\u00a0000\u00a0000",
        "move_done": "Переведено {qty}: из «{a}» в «{b}».",
        "from_empty": "В этапе «{stage}» ничего не осталось. Выберите другой этап.",
    },
}
