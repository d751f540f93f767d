from kaveri.cli import main

main()
