# Rotate a CodeCommit password in place: each new value of reset_trigger resets the password
# (same credential id, user and status; a new service_password). With the hashicorp/time
# provider, `reset_trigger = time_rotating.every_90_days.id` rotates it on a schedule.
variable "rotation" {
  description = "Bump to rotate the password, e.g. the date of the rotation."
  type        = string
  default     = "2025-10-01"
}

resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "git" {
  service_name  = "codecommit.amazonaws.com"
  user_name     = aws_iam_user.example.name
  reset_trigger = var.rotation
}
