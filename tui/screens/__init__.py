"""Full screens: the review screen and the document picker."""
