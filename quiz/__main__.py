from quiz.cli.main import main

main()
