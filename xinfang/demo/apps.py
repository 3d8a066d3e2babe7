from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xinfang.demo"
    label = "demo"
    verbose_name = "演示与压测数据"
