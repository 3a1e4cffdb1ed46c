class SandboxError(Exception):
    """Base class for every error the sandbox raises."""


class EngineUnavailable(SandboxError):
    """The container engine can't be reached."""


class ImageMissing(SandboxError):
    """A language image has not been built."""


class ImageBuildError(SandboxError):
    """Building or importing an image failed."""
