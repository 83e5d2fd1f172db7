# The provider block for the embedded IAM emulator, started with:
#   npm run build && npm run emulator -- --port 4599
# The emulator accepts any access key unless it runs with --strict-auth, and answers both IAM and
# STS at one URL; skip_credentials_validation saves the STS call at every start.
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    iam = "http://127.0.0.1:4599"
    sts = "http://127.0.0.1:4599"
  }
}

resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "example" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
}
