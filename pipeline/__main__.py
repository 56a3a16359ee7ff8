"""`python -m pipeline` works the same as the `xunshi` command."""
from pipeline.cli import main

if __name__ == "__main__":
    main()
