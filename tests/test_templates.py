"""Voila's page templates compiled once per server (explorer.serving.templates)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from explorer.serving import templates

PAGE = "{% for x in xs %}<p>{{ x }}</p>{% endfor %}"


def _environment(source=PAGE, is_async=False, cache=None):
    env = Environment(loader=DictLoader({"page.j2": source}), enable_async=is_async)
    env.bytecode_cache = cache
    compiled = []
    original = env.compile

    def compile_(*args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(*args, **kwargs)

    env.compile = compile_
    return env, compiled


def test_a_second_environment_loads_the_compiled_template_instead_of_compiling_it():
    cache = templates.MemoryBytecodeCache()
    first, compiled_first = _environment(cache=cache)
    second, compiled_second = _environment(cache=cache)
    assert first.get_template("page.j2").render(xs=[1, 2]) == "<p>1</p><p>2</p>"
    assert second.get_template("page.j2").render(xs=[3]) == "<p>3</p>"
    assert compiled_first == ["page.j2"] and compiled_second == [] and len(cache) == 1


def test_environments_run_the_same_code_objects_not_copies():
    cache = templates.MemoryBytecodeCache()
    first = _environment(cache=cache)[0].get_template("page.j2")
    second = _environment(cache=cache)[0].get_template("page.j2")
    assert first.root_render_func is not second.root_render_func
    assert first.root_render_func.__code__ is second.root_render_func.__code__


def test_a_changed_template_or_another_configuration_is_compiled_anew():
    cache = templates.MemoryBytecodeCache()
    _environment(cache=cache)[0].get_template("page.j2")
    changed, compiled = _environment(PAGE.replace("<p>", "<li>"), cache=cache)
    assert changed.get_template("page.j2").render(xs=[1]) == "<li>1</p>" and compiled
    asynchronous, compiled_async = _environment(is_async=True, cache=cache)
    asynchronous.get_template("page.j2")
    assert compiled_async == ["page.j2"]


def test_voila_exporters_share_the_server_cache():
    from voila.exporter import VoilaExporter

    templates.install_template_cache()
    assert hasattr(VoilaExporter, "_create_environment")
    a, b = VoilaExporter(), VoilaExporter()
    assert a.environment is not b.environment
    assert a.environment.bytecode_cache is b.environment.bytecode_cache is templates.CACHE
