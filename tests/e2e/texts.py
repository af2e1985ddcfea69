"""The words the tests look for, in each language (mirrors ui/src/i18n/*.json)."""

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
        "problem_at": "Problem at {path}",
        "offline": "Can't reach the app's server",
        "now": "now",
        "chart": "Miniatures added vs finished per month",
    },
    "ru": {
        "available": "Доступно: {n}",
        "empty": "Здесь начинается ваша стопка",
        "no_match": "Ничего не найдено",
        "insufficient": "осталось {n}",
        "name_taken": "Тип с таким названием уже есть.",
        "add_type": "Добавить тип",
        "percent": "Готово {p}%",
        "moved": "{a} → {b}",
        "added": "Куплено → {stage}",
        "double": "Если объединить один и тот же файл дважды",
        "problem_at": "Ошибка в {path}",
        "offline": "Нет связи с сервером приложения",
        "now": "сейчас",
        "chart": "Добавлено и готово по месяцам",
    },
}
