resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "example" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
}
