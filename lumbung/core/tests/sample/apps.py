from lumbung.core.modules import ModuleConfig


class SampleConfig(ModuleConfig):
    name = "lumbung.core.tests.sample"
    label = "sample"
    module_key = "sample"
    title = "Sample"
    description = "Test-only module"
    urls = "lumbung.core.tests.sample.urls"
    api_router = "lumbung.core.tests.sample.api.router"
    workflows = ("lumbung.core.tests.sample.workflow.SAMPLE_FLOW",)
    order = 999
