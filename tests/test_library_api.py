"""The library API as its users write it."""

import pytest

import testrelay
from testrelay.errors import ConfigError


def test_clients_are_exported_and_azure_has_both_names():
    assert testrelay.AzureDevOpsClient is testrelay.AzureClient
    for name in ("GitHubClient", "GitLabClient", "JenkinsClient", "AzureClient"):
        assert issubclass(getattr(testrelay, name), testrelay.CIProvider)
    with pytest.raises(AttributeError):
        testrelay.NoSuchClient  # noqa: B018


def test_register_all_providers_registers_every_adapter():
    names = testrelay.register_all_providers()
    assert {"github", "gitlab", "jenkins", "azure", "local"} <= set(names)
    assert testrelay.CIProviderFactory.provider_class("github") is testrelay.GitHubClient


async def test_factory_creates_a_configured_client_and_checks_its_config():
    testrelay.register_all_providers()
    client = await testrelay.CIProviderFactory.create_provider(
        "github", {"token": "ghs_exampleToken123", "repository": "octo/hello", "api_url": "http://127.0.0.1:9"}
    )
    assert isinstance(client, testrelay.GitHubClient)
    await client.close()
    with pytest.raises(ConfigError):
        await testrelay.CIProviderFactory.create_provider("github", {"repository": "octo/hello"})


def test_direct_construction_takes_keyword_config():
    client = testrelay.GitLabClient(token="glpat-exampleToken", repository="group/project")
    assert client.config["repository"] == "group/project"


def test_artifact_handler_is_exported(tmp_path):
    handler = testrelay.get_artifact_handler(storage_dir=str(tmp_path / "store"))
    assert isinstance(handler, testrelay.ArtifactHandler)
