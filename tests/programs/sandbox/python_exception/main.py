values = {}
print(values["missing"])
