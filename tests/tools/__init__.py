"""The developer tools under tools/ (not shipped): their cheap, browser-free parts."""
