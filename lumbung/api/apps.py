from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lumbung.api"
    label = "lumbung_api"
    verbose_name = "Lumbung API"
