"""Terminal adapters: each module registers ``labwire`` subcommands over the core."""
