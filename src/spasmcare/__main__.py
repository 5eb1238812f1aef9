from spasmcare.cli.app import main

main()
